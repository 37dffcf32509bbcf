package vn.ehealth.fhir.tests.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.GenerateData;
import vn.ehealth.fhir.synth.LoadData;
import vn.ehealth.fhir.synth.SyntheaLike;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Synthea-like bundles (issue 21): Synthea's shape (urn:uuid entries, conditional references to the
 * directory, US Core profiles and extensions, Provenance last, a very large patient in every 50),
 * the same bytes for the same seed, and they load through {@code LoadData --synthea} into the real
 * server with validation off, conditional references resolved and conditional creates not repeated.
 */
class SyntheaLikeTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	@Test
	void aPatientBundleHasSyntheasShapeAndTheSameBytesForTheSameSeed() {
		SyntheaLike generator = new SyntheaLike(5);
		Bundle bundle = generator.patientBundle(3);
		assertThat(FHIR.newJsonParser().encodeResourceToString(new SyntheaLike(5).patientBundle(3)))
				.isEqualTo(FHIR.newJsonParser().encodeResourceToString(bundle));
		assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
		Set<String> urns = new HashSet<>();
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
			assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
			urns.add(entry.getFullUrl());
		}
		Set<String> directory = directoryIdentifiers(generator);
		Set<String> kinds = new HashSet<>();
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			Resource resource = entry.getResource();
			if (resource.fhirType().matches("Patient|Encounter|Condition|Procedure|MedicationRequest|Immunization|DocumentReference|Provenance")) {
				assertThat(resource.getMeta().getProfile().get(0).getValue()).startsWith("http://hl7.org/fhir/us/core/StructureDefinition/us-core-");
			}
			for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
				String target = reference.getReference();
				if (target == null || target.startsWith("#")) {
					continue;
				}
				if (target.contains("?identifier=")) {
					kinds.add(target.substring(0, target.indexOf('?')));
					assertThat(directory).as(target).contains(target.substring(0, target.indexOf('?')) + "|"
							+ target.substring(target.indexOf('=') + 1));
				} else {
					assertThat(urns).as(target).contains(target);
				}
			}
		}
		assertThat(kinds).containsExactlyInAnyOrder("Practitioner", "Organization", "Location");
		assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
				.contains("Patient", "Encounter", "Observation", "DiagnosticReport", "DocumentReference", "Claim", "ExplanationOfBenefit", "Provenance");
		Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
		assertThat(patient.getExtension()).extracting(e -> e.getUrl()).contains(
				"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity",
				"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex");
		Provenance provenance = (Provenance) bundle.getEntry().get(bundle.getEntry().size() - 1).getResource();
		assertThat(provenance.getTarget()).hasSize(bundle.getEntry().size() - 1);
	}

	@Test
	void oneInFiftyPatientsIsVeryLarge() {
		int large = Stream.iterate(0, n -> n + 1).filter(SyntheaLike::isLarge).findFirst().orElseThrow();
		assertThat(large).isLessThan(50);
		Bundle bundle = new SyntheaLike(5).patientBundle(large);
		assertThat(bundle.getEntry().size()).isBetween(15_000, 17_500);
		assertThat(FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle).length()).isGreaterThan(35_000_000);
	}

	@Test
	void theBundlesLoadWithConditionalReferencesResolvedAndConditionalCreatesNotRepeated() throws Exception {
		TestServer server = TestServer.start("synthea-like-", Map.of("vietfhir.validation.default-mode", "off"));
		try {
			Path out = Files.createTempDirectory("synthea-like-");
			GenerateData.runSyntheaLike(new String[] {"--synthea-like", "--patients", "2", "--seed", "6", "--out", out.toString()});
			String[] load = {"--server", server.baseUrl(), "--dir", out.resolve("fhir").toString(), "--synthea", "--token", server.tokens().token()};
			ByteArrayOutputStream log = new ByteArrayOutputStream();
			assertThat(LoadData.run(load, new PrintStream(log, true, StandardCharsets.UTF_8))).as(log.toString(StandardCharsets.UTF_8)).isZero();
			// the hospital bundle again: its conditional creates find what is there
			List<Path> hospitals;
			try (Stream<Path> files = Files.list(out.resolve("fhir"))) {
				hospitals = files.filter(f -> f.getFileName().toString().startsWith("hospitalInformation")).toList();
			}
			assertThat(LoadData.loadBundles(server.baseUrl(), () -> server.tokens().token(), hospitals, 1, null).errors()).isZero();
			assertThat(count(server, "Organization?identifier=" + URLEncoder.encode("https://github.com/synthetichealth/synthea|", StandardCharsets.UTF_8)))
					.isEqualTo(30);

			SyntheaLike generator = new SyntheaLike(6);
			Bundle patients = server.client().search().byUrl("Patient?identifier=" + URLEncoder.encode(
					"https://github.com/synthetichealth/synthea|" + generator.patientIdentifier(0), StandardCharsets.UTF_8)).returnBundle(Bundle.class).execute();
			assertThat(patients.getEntry()).hasSize(1);
			String patientId = patients.getEntryFirstRep().getResource().getIdElement().getIdPart();
			Bundle encounters = server.client().search().byUrl("Encounter?_count=1&patient=" + patientId).returnBundle(Bundle.class).execute();
			Encounter encounter = (Encounter) encounters.getEntryFirstRep().getResource();
			assertThat(encounter.getParticipantFirstRep().getIndividual().getReference()).matches("Practitioner/[^?]+");
			assertThat(encounter.getServiceProvider().getReference()).matches("Organization/[^?]+");
			long entries = generator.patientBundle(0).getEntry().size();
			assertThat(count(server, "Observation?patient=" + patientId) + count(server, "Encounter?patient=" + patientId)).isPositive();
			assertThat(entries).isGreaterThan(20);
		} finally {
			server.stop();
		}
	}

	private static int count(TestServer server, String query) {
		return server.client().search().byUrl(query + (query.contains("?") ? "&" : "?") + "_summary=count").returnBundle(Bundle.class).execute().getTotal();
	}

	private static Set<String> directoryIdentifiers(SyntheaLike generator) {
		Set<String> identifiers = new HashSet<>();
		for (Bundle bundle : List.of(generator.hospitalBundle(), generator.practitionerBundle())) {
			for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
				for (Identifier identifier : FHIR.newTerser().getAllPopulatedChildElementsOfType(entry.getResource(), Identifier.class)) {
					if (entry.getRequest().hasIfNoneExist()) {
						identifiers.add(entry.getResource().fhirType() + "|" + identifier.getSystem() + "|" + identifier.getValue());
					}
				}
			}
		}
		return identifiers;
	}
}
