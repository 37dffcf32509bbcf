package vn.ehealth.fhir.tests.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Patient/$merge and $unmerge (issue 19): the source's Encounter, Observation and Condition move to
 * the target in one go, the source becomes inactive and replaced-by, its CCCD then finds the target
 * in search and $summary; preview changes nothing; $unmerge puts every resource back as it was; only
 * the merge (or admin) scope may do either, plain write gets 403.
 */
class PatientMergeTest {

	static final String JSON = "application/fhir+json";
	static final IParser PARSER = TestServer.fhirContext().newJsonParser();

	private static TestServer server;
	private static Http http;
	private static String mergeToken;

	@BeforeAll
	static void server() {
		server = TestServer.shared();
		http = server.http();
		RegisteredClients.Client reviewer = RegisteredClients.register(
				server, "ra-soat-trung", List.of("system/*.cruds", "system/Patient.merge"), List.of("HOPERAT"));
		mergeToken = RegisteredClients.token(server, reviewer, "system/*.cruds system/Patient.merge");
	}

	record Record(String patient, String encounter, String observation, String condition) {}

	/** A Patient (CCCD given, or none) with an Encounter, an Observation in it and a Condition. */
	static Record record(String cccd) {
		Patient patient = Fixtures.patient("Phạm", "Văn Khải", Fixtures.uniqueValue());
		patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE);
		patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1985-02-11"));
		if (cccd != null) {
			patient.addIdentifier().setSystem(Fixtures.CCCD_SYSTEM).setValue(cccd);
		}
		String p = created(patient);
		Encounter encounter = new Encounter();
		encounter.setStatus(Encounter.EncounterStatus.FINISHED).setSubject(new Reference(p))
				.getClass_().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("AMB");
		String e = created(encounter);
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference(p)).setEncounter(new Reference(e))
				.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
		String o = created(observation);
		Condition condition = new Condition();
		condition.setSubject(new Reference(p)).getCode().setText("Tăng huyết áp");
		String c = created(condition);
		return new Record(p, e, o, c);
	}

	static String created(Resource resource) {
		Http.Response response = http.post("/fhir/" + resource.fhirType(), JSON, PARSER.encodeResourceToString(resource));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.resource(resource.getClass()).getIdElement().toUnqualifiedVersionless().getValue();
	}

	static Parameters mergeParameters(String source, String target, boolean preview) {
		Parameters parameters = new Parameters();
		parameters.addParameter().setName("source-patient").setValue(new Reference(source));
		parameters.addParameter().setName("target-patient").setValue(new Reference(target));
		if (preview) {
			parameters.addParameter("preview", new BooleanType(true));
		}
		parameters.addParameter("reason", new StringType("Cùng một người: hai lần đăng ký khám"));
		return parameters;
	}

	static Http.Response post(String path, Parameters parameters, String token) {
		return http.send(HttpRequest.newBuilder(http.uri("/fhir/" + path))
				.header("Authorization", "Bearer " + token).header("Content-Type", JSON).header("Accept", JSON)
				.POST(HttpRequest.BodyPublishers.ofString(PARSER.encodeResourceToString(parameters), StandardCharsets.UTF_8)));
	}

	static <T extends Resource> T read(String reference, Class<T> type) {
		Http.Response response = http.get("/fhir/" + reference, JSON);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(type);
	}

	static String subject(String reference) {
		Class<? extends Resource> type = reference.startsWith("Observation") ? Observation.class
				: reference.startsWith("Encounter") ? Encounter.class : Condition.class;
		Resource resource = read(reference, type);
		Reference subject = resource instanceof Observation o ? o.getSubject()
				: resource instanceof Encounter e ? e.getSubject() : ((Condition) resource).getSubject();
		return subject.getReferenceElement().toUnqualifiedVersionless().getValue();
	}

	static String content(String reference, Class<? extends Resource> type) {
		Resource resource = read(reference, type);
		// the content, not its version: the undo stores the earlier content as a new version
		resource.setMeta(null);
		resource.setIdElement(resource.getIdElement().toVersionless());
		return PARSER.encodeResourceToString(resource);
	}

	@Test
	void plainWriteScopeMayNotMerge() {
		Record source = record(null);
		Record target = record(null);
		Http.Response refused = http.post("/fhir/Patient/$merge", JSON,
				PARSER.encodeResourceToString(mergeParameters(source.patient(), target.patient(), false)));
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.diagnostics()).contains("system/Patient.merge");
		Http.Response undo = http.post("/fhir/Patient/$unmerge", JSON,
				PARSER.encodeResourceToString(mergeParameters(source.patient(), target.patient(), false)));
		assertThat(undo.status()).as(undo.body()).isEqualTo(403);
		assertThat(read(source.patient(), Patient.class).hasLink()).isFalse();
	}

	@Test
	void previewChangesNothing() {
		Record source = record(null);
		Record target = record(null);
		String before = content(source.patient(), Patient.class);
		String versionBefore = read(source.observation(), Observation.class).getMeta().getVersionId();

		Http.Response preview = post("Patient/$merge", mergeParameters(source.patient(), target.patient(), true), mergeToken);
		assertThat(preview.status()).as(preview.body()).isEqualTo(200);
		assertThat(preview.body()).contains("Preview only merge operation - no issues detected");

		assertThat(content(source.patient(), Patient.class)).isEqualTo(before);
		assertThat(read(source.observation(), Observation.class).getMeta().getVersionId()).isEqualTo(versionBefore);
		assertThat(subject(source.observation())).isEqualTo(source.patient());
	}

	@Test
	void aMergeAboveItsResourceLimitRunsAsAJobAndTheCccdFollowsTheTarget() throws Exception {
		// HAPI's background job writes the target as the system, not under $merge: the one-CCCD rule
		// must still let the target take the source's CCCD
		String cccd = Fixtures.cccd("001085");
		Record source = record(cccd);
		Record target = record(null);
		Parameters parameters = mergeParameters(source.patient(), target.patient(), false);
		parameters.addParameter("resource-limit", new org.hl7.fhir.r4.model.UnsignedIntType(1));

		Http.Response accepted = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient/$merge"))
				.header("Authorization", "Bearer " + mergeToken).header("Content-Type", JSON).header("Accept", JSON)
				.header("Prefer", "respond-async")
				.POST(HttpRequest.BodyPublishers.ofString(PARSER.encodeResourceToString(parameters), StandardCharsets.UTF_8)));
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		Parameters answer = accepted.resource(Parameters.class);
		String task = answer.getParameter().stream().filter(p -> p.getResource() instanceof org.hl7.fhir.r4.model.Task)
				.map(p -> p.getResource().getIdElement().toUnqualifiedVersionless().getValue()).findFirst().orElseThrow();
		org.hl7.fhir.r4.model.Task.TaskStatus status = null;
		for (long deadline = System.currentTimeMillis() + 90_000; System.currentTimeMillis() < deadline; Thread.sleep(500)) {
			status = read(task, org.hl7.fhir.r4.model.Task.class).getStatus();
			if (status == org.hl7.fhir.r4.model.Task.TaskStatus.COMPLETED || status == org.hl7.fhir.r4.model.Task.TaskStatus.FAILED) {
				break;
			}
		}
		assertThat(status).as(http.get("/fhir/" + task, JSON).body()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.COMPLETED);
		// HAPI 8.8's last step marks the Task completed in one transaction, then writes the source, the
		// target and the Provenance in the next (ReplaceReferenceUpdateTaskReducerStep.run): the
		// Provenance is what says the merge is over
		Bundle provenances = null;
		for (long deadline = System.currentTimeMillis() + 30_000; System.currentTimeMillis() < deadline; Thread.sleep(200)) {
			provenances = http.get("/fhir/Provenance?target=" + target.patient(), JSON).resource(Bundle.class);
			if (!provenances.getEntry().isEmpty()) {
				break;
			}
		}
		assertThat(provenances.getEntry()).as("the merge's Provenance").isNotEmpty();

		for (String moved : List.of(source.encounter(), source.observation(), source.condition())) {
			assertThat(subject(moved)).as(moved).isEqualTo(target.patient());
		}
		Patient sourceAfter = read(source.patient(), Patient.class);
		assertThat(sourceAfter.getActiveElement().getValue()).as("active").isEqualTo(Boolean.FALSE);
		Patient targetAfter = read(target.patient(), Patient.class);
		assertThat(targetAfter.getIdentifier()).anyMatch(i -> cccd.equals(i.getValue()) && i.getUse() == Identifier.IdentifierUse.OLD);
		// the CCCD is now the target's: a newcomer with it is refused, naming the target
		Patient another = Fixtures.patientWithCccd(cccd, "male", "1985-02-11");
		Http.Response refused = http.post("/fhir/Patient", JSON, PARSER.encodeResourceToString(another));
		assertThat(refused.status()).as(refused.body()).isEqualTo(409);
		assertThat(refused.body()).contains(target.patient());
		// a plain write still takes no CCCD through a replaces link
		Record third = record(null);
		Patient claimant = read(third.patient(), Patient.class);
		claimant.addIdentifier().setSystem(Fixtures.CCCD_SYSTEM).setValue(cccd);
		claimant.addLink().setType(Patient.LinkType.REPLACES).setOther(new Reference(target.patient()));
		Http.Response stolen = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + third.patient()))
				.header("Content-Type", JSON).header("Accept", JSON)
				.PUT(HttpRequest.BodyPublishers.ofString(PARSER.encodeResourceToString(claimant), StandardCharsets.UTF_8)));
		assertThat(stolen.status()).as(stolen.body()).isEqualTo(409);
	}

	@Test
	void mergeMovesTheRecordTheSourcesCccdFindsTheTargetAndUnmergeRestoresIt() {
		String cccd = Fixtures.cccd("001085");
		Record source = record(cccd);
		Record target = record(null);
		String sourceBefore = content(source.patient(), Patient.class);
		String targetBefore = content(target.patient(), Patient.class);

		Http.Response merged = post("Patient/$merge", mergeParameters(source.patient(), target.patient(), false), mergeToken);
		assertThat(merged.status()).as(merged.body()).isEqualTo(200);

		for (String moved : List.of(source.encounter(), source.observation(), source.condition())) {
			assertThat(subject(moved)).as(moved).isEqualTo(target.patient());
		}
		Patient sourceAfter = read(source.patient(), Patient.class);
		assertThat(sourceAfter.getActiveElement().getValue()).as("active").isEqualTo(Boolean.FALSE);
		assertThat(sourceAfter.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
		assertThat(sourceAfter.getLinkFirstRep().getOther().getReference()).isEqualTo(target.patient());
		Patient targetAfter = read(target.patient(), Patient.class);
		assertThat(targetAfter.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
		assertThat(targetAfter.getIdentifier()).anyMatch(i -> cccd.equals(i.getValue()) && i.getUse() == Identifier.IdentifierUse.OLD);

		// the source's CCCD, under either namespace, reaches the target
		Bundle found = http.get("/fhir/Patient?identifier="
				+ URLEncoder.encode("http://fhir.hl7.org.vn/core/sid/cccd|" + cccd, StandardCharsets.UTF_8), JSON).resource(Bundle.class);
		assertThat(found.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
				.containsExactlyInAnyOrder(target.patient(), source.patient());
		assertThat(found.getEntry()).filteredOn(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue().equals(source.patient()))
				.allSatisfy(e -> assertThat(((Patient) e.getResource()).getActiveElement().getValue()).isEqualTo(Boolean.FALSE));
		Http.Response summary = http.get("/fhir/Patient/$summary?identifier="
				+ URLEncoder.encode(Fixtures.CCCD_SYSTEM + "|" + cccd, StandardCharsets.UTF_8), JSON);
		assertThat(summary.status()).as(summary.body()).isEqualTo(200);
		// the document's Patient is the target, the one that replaces the source (the document's references are urn:uuid)
		Patient summarised = summary.resource(Bundle.class).getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
				.filter(Patient.class::isInstance).map(Patient.class::cast).findFirst().orElseThrow();
		assertThat(summarised.getLink()).extracting(Patient.PatientLinkComponent::getType).containsExactly(Patient.LinkType.REPLACES);
		Bundle everything = http.get("/fhir/" + target.patient() + "/$everything", JSON).resource(Bundle.class);
		assertThat(everything.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
				.contains(source.encounter(), source.observation(), source.condition());

		// who merged and why
		Bundle provenances = http.get("/fhir/Provenance?target=" + target.patient(), JSON).resource(Bundle.class);
		assertThat(provenances.getEntry()).isNotEmpty();
		Provenance provenance = (Provenance) provenances.getEntryFirstRep().getResource();
		assertThat(provenance.getAgentFirstRep().getWho().getDisplay()).startsWith("ra-soat-trung");
		assertThat(PARSER.encodeResourceToString(provenance)).contains("hai lần đăng ký khám");

		Http.Response undone = post("Patient/$unmerge", mergeParameters(source.patient(), target.patient(), false), mergeToken);
		assertThat(undone.status()).as(undone.body()).isEqualTo(200);
		assertThat(content(source.patient(), Patient.class)).isEqualTo(sourceBefore);
		assertThat(content(target.patient(), Patient.class)).isEqualTo(targetBefore);
		for (String back : List.of(source.encounter(), source.observation(), source.condition())) {
			assertThat(subject(back)).as(back).isEqualTo(source.patient());
		}
		// the CCCD is the source's again: a new Patient with it is refused
		Patient another = Fixtures.patientWithCccd(cccd, "male", "1985-02-11");
		Http.Response refused = http.post("/fhir/Patient", JSON, PARSER.encodeResourceToString(another));
		assertThat(refused.status()).as(refused.body()).isEqualTo(409);
		assertThat(refused.body()).contains(source.patient());
	}
}
