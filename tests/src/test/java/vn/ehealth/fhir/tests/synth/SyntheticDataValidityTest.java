package vn.ehealth.fhir.tests.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.DataWriter;
import vn.ehealth.fhir.synth.LoadData;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * Generated data is valid VietFHIR Core: the directory and a few patients chosen so that every
 * resource type (and a death) is among them load into the real server with its real guide, where
 * transactions are validated on write in enforce mode, so a load without errors proves validity.
 * The types the suite's server does not enforce (Practitioner warns, Procedure is off) go through
 * {@code $validate} instead (issue 8).
 */
class SyntheticDataValidityTest {

	private static final long SEED = 8;
	private static final Set<String> REQUIRED = Set.of("Patient", "Encounter", "Condition", "Observation",
			"DiagnosticReport", "MedicationRequest", "Immunization", "AllergyIntolerance", "Procedure", "deceased");

	private static TestServer server;
	private static SyntheticData data;
	private static final Map<Integer, List<Resource>> records = new LinkedHashMap<>();
	private static Path dir;
	private static String loadOutput;
	private static int status;

	@BeforeAll
	static void generateAndLoad() throws Exception {
		server = TestServer.shared();
		List<Integer> chosen = fewPatientsCoveringEveryType();
		data = new SyntheticData(SEED, chosen, SyntheticData.DEFAULT_CARE_START, SyntheticData.DEFAULT_AS_OF);
		for (int n : chosen) {
			records.put(n, data.patient(n));
		}
		dir = Files.createTempDirectory("synthetic-load-");
		new DataWriter(data, true, true, 2).write(dir);
		// the command line as a user runs it, with a SMART Backend Services client and its private key
		Path key = dir.resolve("suite.private.jwk.json");
		Files.writeString(key, Tokens.suiteKey().toJSONString());
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		status = LoadData.run(new String[] {"--server", server.baseUrl(), "--dir", dir.toString(),
				"--client-id", Tokens.SUITE_CLIENT, "--key", key.toString(), "--chunk", "300"}, new PrintStream(out, true, StandardCharsets.UTF_8));
		loadOutput = out.toString(StandardCharsets.UTF_8);
		System.out.println("patients " + chosen + ", " + records.values().stream().mapToInt(List::size).sum()
				+ " resources, directory " + data.directory().size() + "\n" + loadOutput);
	}

	/**
	 * Residents of one province among the first patients (one province keeps the directory small),
	 * picked greedily until every patient-level type and a deceased patient are covered.
	 */
	private static List<Integer> fewPatientsCoveringEveryType() {
		Map<String, List<Integer>> byProvince = new LinkedHashMap<>();
		for (int n = 0; n < 1000; n++) {
			byProvince.computeIfAbsent(SyntheticData.residenceOf(SEED, n), k -> new ArrayList<>()).add(n);
		}
		List<Integer> best = null;
		int bestSize = Integer.MAX_VALUE;
		for (List<Integer> residents : byProvince.values()) {
			if (residents.size() < 15) {
				continue;
			}
			SyntheticData candidates = new SyntheticData(SEED, residents, SyntheticData.DEFAULT_CARE_START, SyntheticData.DEFAULT_AS_OF);
			Map<Integer, Set<String>> covers = new LinkedHashMap<>();
			Map<Integer, Integer> sizes = new LinkedHashMap<>();
			for (int n : residents) {
				List<Resource> record = candidates.patient(n);
				Set<String> kinds = new HashSet<>();
				record.forEach(r -> kinds.add(r.fhirType()));
				if (((Patient) record.get(0)).hasDeceased()) {
					kinds.add("deceased");
				}
				covers.put(n, kinds);
				sizes.put(n, record.size());
			}
			List<Integer> chosen = new ArrayList<>();
			Set<String> missing = new LinkedHashSet<>(REQUIRED);
			while (!missing.isEmpty()) {
				Integer pick = null;
				long bestGain = 0;
				for (int n : residents) {
					long gain = covers.get(n).stream().filter(missing::contains).count();
					if (gain > bestGain || (gain == bestGain && gain > 0 && sizes.get(n) < sizes.get(pick))) {
						pick = n;
						bestGain = gain;
					}
				}
				if (pick == null) {
					break;
				}
				chosen.add(pick);
				missing.removeAll(covers.get(pick));
			}
			if (!missing.isEmpty()) {
				continue;
			}
			int size = chosen.stream().mapToInt(sizes::get).sum()
					+ new SyntheticData(SEED, chosen, SyntheticData.DEFAULT_CARE_START, SyntheticData.DEFAULT_AS_OF).directory().size();
			if (size < bestSize) {
				best = chosen;
				bestSize = size;
			}
		}
		assertThat(best).as("a province whose residents cover every type").isNotNull();
		return best;
	}

	@Test
	void theDirectoryAndThePatientsLoadWithoutAnErrorUnderEnforcedValidation() {
		assertThat(loadOutput).contains("| patients (2 connections) |");
		assertThat(status).as(loadOutput).isZero();
		Http http = server.http();
		for (Map.Entry<Integer, List<Resource>> record : records.entrySet()) {
			String patientId = data.patientId(record.getKey());
			assertThat(http.get("/fhir/Patient/" + patientId).status()).isEqualTo(200);
			long encounters = record.getValue().stream().filter(r -> r.fhirType().equals("Encounter")).count();
			Bundle found = http.get("/fhir/Encounter?patient=Patient/" + patientId + "&_summary=count").resource(Bundle.class);
			assertThat(found.getTotal()).isEqualTo(encounters);
		}
	}

	@Test
	void aDeceasedPatientCarriesTheDateAndItsCauseOfDeathIsSearchable() {
		Patient deceased = records.values().stream().map(r -> (Patient) r.get(0)).filter(Patient::hasDeceased).findFirst().orElseThrow();
		Http http = server.http();
		Patient stored = http.get("/fhir/Patient/" + deceased.getIdPart()).resource(Patient.class);
		assertThat(stored.getDeceasedDateTimeType().getValueAsString()).isEqualTo(deceased.getDeceasedDateTimeType().getValueAsString());
		Bundle causes = http.get("/fhir/Observation?patient=Patient/" + deceased.getIdPart() + "&code="
				+ URLEncoder.encode("http://loinc.org|69453-9", StandardCharsets.UTF_8)).resource(Bundle.class);
		assertThat(causes.getEntry()).hasSize(1);
	}

	@Test
	void loadingAgainUpdatesInsteadOfDuplicating() throws Exception {
		LoadData.Result again = LoadData.loadPatients(server.baseUrl(), () -> server.tokens().token(), dir, 1, 1, null);
		assertThat(again.errors()).isZero();
		Patient first = (Patient) records.values().iterator().next().get(0);
		String cccd = first.getIdentifierFirstRep().getSystem() + "|" + first.getIdentifierFirstRep().getValue();
		Bundle found = server.http().get("/fhir/Patient?identifier=" + URLEncoder.encode(cccd, StandardCharsets.UTF_8))
				.resource(Bundle.class);
		assertThat(found.getEntry()).hasSize(1);
	}

	@Test
	void practitionersAndProceduresValidateWithoutErrorsAgainstTheirProfiles() {
		List<Resource> sample = new ArrayList<>();
		data.directory().stream().filter(r -> r.fhirType().equals("Practitioner")).limit(12).forEach(sample::add);
		records.values().forEach(record -> record.stream().filter(r -> r.fhirType().equals("Procedure")).forEach(sample::add));
		assertThat(sample).anyMatch(r -> r.fhirType().equals("Procedure"));
		Http http = server.http();
		for (Resource resource : sample) {
			String profile = resource.getMeta().getProfile().get(0).getValue();
			Http.Response response = http.post("/fhir/" + resource.fhirType() + "/$validate?profile="
					+ URLEncoder.encode(profile, StandardCharsets.UTF_8), "application/fhir+json",
					TestServer.fhirContext().newJsonParser().encodeResourceToString(resource));
			assertThat(response.outcome().getIssue())
					.as(resource.getIdElement().getIdPart() + ": " + response.body())
					.noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
							|| issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
		}
	}
}
