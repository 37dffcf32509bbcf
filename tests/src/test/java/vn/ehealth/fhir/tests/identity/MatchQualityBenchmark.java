package vn.ehealth.fhir.tests.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.LabelledDuplicates;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Precision and recall of Patient/$match on labelled synthetic duplicates (issue 19): people of the
 * synthetic population are stored, then each one's second record (a kind of
 * {@link LabelledDuplicates.Kind}) is matched. A certain or probable result is right when it is the
 * stored record of the same person, wrong otherwise (another person, a twin, a namesake). Not part of
 * the default suite (run with -Dtest=MatchQualityBenchmark -Dmatch.people=N).
 */
class MatchQualityBenchmark {

	@Test
	void precisionAndRecall() {
		int people = Integer.getInteger("match.people", 900);
		TestServer server = TestServer.shared();
		PatientMatchTest.server();
		Http http = server.http();
		List<LabelledDuplicates.Case> cases =
				new LabelledDuplicates(Long.getLong("match.seed", 19L), LocalDate.of(2026, 6, 30)).cases(people, "x");
		List<String> stored = store(http, cases);

		Map<LabelledDuplicates.Kind, int[]> byKind = new EnumMap<>(LabelledDuplicates.Kind.class); // certain, probable, possible, none
		int certainRight = 0, certainWrong = 0, probableRight = 0, probableWrong = 0, samePeople = 0;
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < cases.size(); i++) {
			LabelledDuplicates.Case c = cases.get(i);
			long start = System.nanoTime();
			Bundle found = PatientMatchTest.match(c.second(), 10, null);
			millis.add((System.nanoTime() - start) / 1_000_000);
			String grade = "none";
			for (Bundle.BundleEntryComponent entry : found.getEntry()) {
				String g = PatientMatchTest.grade(entry);
				boolean right = c.kind().samePerson
						&& entry.getResource().getIdElement().toUnqualifiedVersionless().getValue().equals(stored.get(i));
				if (right) {
					grade = g;
				}
				if (g.equals("certain")) {
					if (right) certainRight++; else certainWrong++;
				}
				if (g.equals("certain") || g.equals("probable")) {
					if (right) probableRight++; else probableWrong++;
				}
			}
			samePeople += c.kind().samePerson ? 1 : 0;
			int[] counts = byKind.computeIfAbsent(c.kind(), k -> new int[4]);
			counts[switch (grade) { case "certain" -> 0; case "probable" -> 1; case "possible" -> 2; default -> 3; }]++;
		}
		millis.sort(Long::compare);
		StringBuilder report = new StringBuilder("kind | n | certain | probable | possible | not found\n");
		byKind.forEach((kind, n) -> report.append(kind).append(" | ").append(n[0] + n[1] + n[2] + n[3]).append(" | ")
				.append(n[0]).append(" | ").append(n[1]).append(" | ").append(n[2]).append(" | ").append(n[3]).append('\n'));
		report.append(String.format("certain: precision %.4f (%d right, %d wrong)%n",
				certainRight / Math.max(1.0, certainRight + certainWrong), certainRight, certainWrong));
		report.append(String.format("probable or certain: precision %.4f, recall %.4f (%d right, %d wrong, %d same-person records)%n",
				probableRight / Math.max(1.0, probableRight + probableWrong), probableRight / Math.max(1.0, samePeople),
				probableRight, probableWrong, samePeople));
		report.append(String.format("$match latency over HTTP: p50 %d ms, p95 %d ms (%d stored Patients of this run)%n",
				millis.get(millis.size() / 2), millis.get(millis.size() * 95 / 100), people));
		System.out.println(report);
		assertThat(certainWrong).as(report.toString()).isZero();
	}

	/** The stored records, in transactions of 100, their server ids in case order. */
	private static List<String> store(Http http, List<LabelledDuplicates.Case> cases) {
		List<String> ids = new ArrayList<>();
		for (int from = 0; from < cases.size(); from += 100) {
			Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			for (LabelledDuplicates.Case c : cases.subList(from, Math.min(cases.size(), from + 100))) {
				Patient patient = c.stored().copy();
				patient.setId((String) null);
				transaction.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(patient)
						.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
			}
			Http.Response response = http.post("/fhir", PatientMatchTest.JSON, PatientMatchTest.PARSER.encodeResourceToString(transaction));
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			for (Bundle.BundleEntryComponent entry : response.resource(Bundle.class).getEntry()) {
				ids.add(new org.hl7.fhir.r4.model.IdType(entry.getResponse().getLocation()).toUnqualifiedVersionless().getValue());
			}
		}
		return ids;
	}
}
