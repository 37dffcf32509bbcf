package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkExports.enc;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * Bulk Data 3.0 {@code organizeOutputBy=Patient}: the files hold one block per patient (a header
 * Parameters naming it, the Patient, its compartment's resources), each resource once, the same
 * resources as the export by type, within the token's scopes. A server of its own, with files of at
 * most {@value #PER_FILE} lines, so that a block outgrows a file and continues in the next.
 */
class BulkExportByPatientTest {

	private static final int PER_FILE = 4;
	private static final String LENIENT = "respond-async, handling=lenient";
	private static TestServer server;
	private static IGenericClient client;
	private static BulkExports exports;
	private static final List<IdType> patients = new ArrayList<>();
	/** Observation with subject patients[0] and performer patients[1]: in both compartments. */
	private static IdType shared;
	/** After the data was written: exports _until it are the same whenever they run. */
	private static Instant until;

	@BeforeAll
	static void start() throws Exception {
		server = TestServer.start("vietfhir-bypatient-",
				Map.of("vietfhir.bulk-export.max-resources-per-file", Integer.toString(PER_FILE)));
		client = server.client();
		exports = new BulkExports(server.http(), server.rootUrl());
		for (int i = 0; i < 3; i++) {
			patients.add((IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("001192"), "female", "1992-02-0" + (i + 1)))
					.execute().getId().toUnqualifiedVersionless());
			observation(patients.get(i), null, "8867-4");
			observation(patients.get(i), null, "8310-5");
		}
		shared = observation(patients.get(0), patients.get(1), "8867-4");
		// outside every patient's compartment
		client.create().resource(new Organization().setName("Bệnh viện Bạch Mai")).execute();
		Thread.sleep(10);
		until = Instant.now();
		Thread.sleep(10);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void eachPatientsResourcesFollowItsHeaderOnceAndAsInTheExportByType() throws Exception {
		String query = "_type=Patient,Observation&_until=" + enc(until.toString());
		JsonNode manifest = exports.export("/fhir/Patient/$export?organizeOutputBy=Patient&" + query);
		assertThat(manifest.get("outputOrganizedBy").asText()).isEqualTo("Patient");
		List<Line> lines = blocks(manifest);
		assertEachInTheBlockOfAPatientItReferences(lines);
		assertThat(ids(lines)).containsExactlyInAnyOrderElementsOf(idsByType(exports.export("/fhir/Patient/$export?" + query)));
		// the Patient right after its header, where its block starts
		for (IdType patient : patients) {
			Line first = lines.stream().filter(l -> l.patient().equals(patient.getValue())).findFirst().orElseThrow();
			assertThat(first.resource().get("resourceType").asText() + "/" + first.resource().get("id").asText())
					.isEqualTo(patient.getValue());
		}
		// the shared Observation is in the block of the first patient only
		assertThat(lines).filteredOn(l -> id(l.resource()).equals(shared.getValue())).singleElement()
				.extracting(Line::patient).isEqualTo(patients.get(0).getValue());
	}

	@Test
	void aBlockIsSplitOnlyWhenItOutgrowsAFileAndItsHeaderStartsTheNextFile() throws Exception {
		JsonNode manifest = exports.export("/fhir/Patient/$export?organizeOutputBy=Patient&_type=Patient,Observation&_until="
				+ enc(until.toString()));
		JsonNode output = manifest.get("output");
		List<List<String>> files = new ArrayList<>();
		Map<String, Integer> fileOfUrl = new LinkedHashMap<>();
		for (JsonNode item : output) {
			assertThat(item.has("type")).as("no type in a file of blocks: %s", item).isFalse();
			fileOfUrl.put(item.get("url").asText(), files.size());
			files.add(exports.downloadLines(item));
		}
		Map<String, Integer> headers = new LinkedHashMap<>();
		for (List<String> file : files) {
			assertThat(header(file.get(0))).as("a file starts with a header: %s", file.get(0)).isNotNull();
			file.stream().map(BulkExportByPatientTest::header).filter(h -> h != null).forEach(h -> headers.merge(h, 1, Integer::sum));
		}
		// patients[0]'s block (header, Patient, 3 Observations) is longer than a file: split once, header repeated
		assertThat(headers.get(patients.get(0).getValue())).isEqualTo(2);
		assertThat(headers.get(patients.get(1).getValue())).isEqualTo(1);
		assertThat(headers.get(patients.get(2).getValue())).isEqualTo(1);
		int continued = 0;
		for (JsonNode item : output) {
			if (item.has("continuesInFile")) {
				continued++;
				List<String> file = files.get(fileOfUrl.get(item.get("url").asText()));
				String lastHeader = file.stream().map(BulkExportByPatientTest::header).filter(h -> h != null).reduce((a, b) -> b).orElseThrow();
				List<String> next = files.get(fileOfUrl.get(item.get("continuesInFile").asText()));
				assertThat(header(next.get(0))).isEqualTo(lastHeader).isEqualTo(patients.get(0).getValue());
			}
		}
		assertThat(continued).isEqualTo(1);
	}

	@Test
	void aSystemExportByPatientHoldsThePatientCompartmentOnly() throws Exception {
		String window = "&_until=" + enc(until.toString());
		JsonNode manifest = exports.export("/fhir/$export?organizeOutputBy=Patient" + window);
		List<Line> lines = blocks(manifest);
		assertEachInTheBlockOfAPatientItReferences(lines);
		// the Organization is in no patient's compartment: left out, as the IG allows
		assertThat(ids(lines)).containsExactlyInAnyOrderElementsOf(idsByType(exports.export("/fhir/Patient/$export?_until="
				+ enc(until.toString()))));

		// asked for by name, it is refused, or left out with a warning under lenient handling
		String organization = "/fhir/$export?organizeOutputBy=Patient&_type=Patient,Organization" + window;
		Http.Response refused = exports.send(exports.kickOff(organization));
		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.outcome().getIssueFirstRep().getDiagnostics()).contains("Organization").contains("compartment");
		JsonNode lenient = exports.export(exports.kickOff(organization, LENIENT));
		assertThat(blocks(lenient)).extracting(l -> l.resource().get("resourceType").asText()).containsOnly("Patient");
		assertThat(exports.download(lenient.get("error")).get("OperationOutcome")).anySatisfy(line -> assertThat(line).contains("Organization"));
	}

	@Test
	void aGroupExportByPatientKeepsItsMembersTypeFilterAndElements() throws Exception {
		String groupId = BulkExports.createGroup(client, List.of(patients.get(0), patients.get(2)));
		String query = "_type=Patient,Observation&_elements=status,subject,gender&_typeFilter=" + enc("Observation?code=http://loinc.org|8310-5")
				+ "&_until=" + enc(until.toString());

		List<Line> lines = blocks(exports.export("/fhir/Group/" + groupId + "/$export?organizeOutputBy=Patient&" + query));
		assertEachInTheBlockOfAPatientItReferences(lines);
		assertThat(lines).extracting(Line::patient).containsOnly(patients.get(0).getValue(), patients.get(2).getValue());
		assertThat(lines).filteredOn(l -> l.resource().get("resourceType").asText().equals("Observation")).hasSize(2);
		assertThat(lines).allSatisfy(l -> assertThat(l.resource().toString()).contains("SUBSETTED"));
		assertThat(ids(lines)).containsExactlyInAnyOrderElementsOf(idsByType(exports.export("/fhir/Group/" + groupId + "/$export?" + query)));
	}

	@Test
	void theTokensScopesLimitAnExportByPatient() throws Exception {
		RegisteredClients.Client narrow = RegisteredClients.register(server, "by-patient",
				List.of("system/Patient.rs", "system/Observation.rs"), List.of("TREAT"));
		BulkExports asNarrow = new BulkExports(server.http(new Tokens(server.rootUrl(), narrow.clientId(), narrow.key())), server.rootUrl());
		// without _type it would hold every type of the compartment
		Http.Response everything = asNarrow.send(asNarrow.kickOff("/fhir/Patient/$export?organizeOutputBy=Patient"));
		assertThat(everything.status()).as(everything.body()).isEqualTo(403);

		JsonNode manifest = asNarrow.export("/fhir/Patient/$export?organizeOutputBy=Patient&_type=Patient,Observation&_until="
				+ enc(until.toString()));
		assertThat(blocks(manifest, asNarrow)).extracting(l -> l.resource().get("resourceType").asText())
				.containsOnly("Patient", "Observation");
		// a file of blocks holds every exported type: downloading it needs read on each of them
		String token = RegisteredClients.token(server, narrow, "system/Patient.rs");
		Http.Response file = asNarrow.send(java.net.http.HttpRequest.newBuilder(asNarrow.uriOf(manifest.get("output").get(0).get("url").asText()))
				.header("Authorization", "Bearer " + token).GET());
		assertThat(file.status()).as(file.body()).isEqualTo(403);
	}

	// --- reading blocks

	/** One resource line and the patient whose block holds it. */
	private record Line(String patient, JsonNode resource) {}

	private static List<Line> blocks(JsonNode manifest) {
		return blocks(manifest, exports);
	}

	/** The resource lines of all files, each with its block's patient; every file starts with a header. */
	private static List<Line> blocks(JsonNode manifest, BulkExports from) {
		List<Line> lines = new ArrayList<>();
		for (JsonNode item : manifest.get("output")) {
			String patient = null;
			for (String line : from.downloadLines(item)) {
				String header = header(line);
				if (header != null) {
					patient = header;
					continue;
				}
				assertThat(patient).as("a resource before any header: %s", line).isNotNull();
				lines.add(new Line(patient, BulkExports.json(line)));
			}
		}
		return lines;
	}

	/** The patient a header line names ("Patient/x"), or null for a resource line. */
	private static String header(String line) {
		JsonNode json = BulkExports.json(line);
		if (!json.get("resourceType").asText().equals("Parameters")) {
			return null;
		}
		JsonNode parameter = json.get("parameter").get(0);
		assertThat(parameter.get("name").asText()).isEqualTo("header");
		return parameter.get("valueReference").get("reference").asText();
	}

	/** Each resource once, and in the block of a patient it is (or references). */
	private static void assertEachInTheBlockOfAPatientItReferences(List<Line> lines) {
		Set<String> seen = new HashSet<>();
		for (Line line : lines) {
			assertThat(seen.add(id(line.resource()))).as("twice: %s", id(line.resource())).isTrue();
			String text = line.resource().toString();
			assertThat(id(line.resource()).equals(line.patient()) || text.contains("\"reference\":\"" + line.patient() + "\""))
					.as("%s in the block of %s", text, line.patient()).isTrue();
		}
	}

	private static List<String> ids(List<Line> lines) {
		return lines.stream().map(l -> id(l.resource())).toList();
	}

	/** The resources of an export by type, as Type/id. */
	private static List<String> idsByType(JsonNode manifest) {
		List<String> ids = new ArrayList<>();
		exports.download(manifest.get("output")).values().forEach(lines -> lines.forEach(line -> ids.add(id(BulkExports.json(line)))));
		return ids;
	}

	private static String id(JsonNode resource) {
		return resource.get("resourceType").asText() + "/" + resource.get("id").asText();
	}

	private static IdType observation(IdType subject, IdType performer, String loinc) {
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
		observation.setSubject(new Reference(subject));
		if (performer != null) {
			observation.addPerformer(new Reference(performer));
		}
		return (IdType) client.create().resource(observation).execute().getId().toUnqualifiedVersionless();
	}
}
