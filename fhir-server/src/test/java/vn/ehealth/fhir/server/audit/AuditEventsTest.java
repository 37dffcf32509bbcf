package vn.ehealth.fhir.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** An audit record as the AuditEvent an inspector reads (IHE Basic Audit Log Patterns). */
class AuditEventsTest {

	private static final Map<String, Object> RECORD = Map.ofEntries(
			Map.entry("seq", 42L),
			Map.entry("interaction", "read"),
			Map.entry("action", "R"),
			Map.entry("outcome", "0"),
			Map.entry("recorded", "2026-12-06T08:30:00Z"),
			Map.entry("purpose", "TREAT"),
			Map.entry("client_id", "bv-bachmai"),
			Map.entry("client_name", "Bệnh viện Bạch Mai"),
			Map.entry("source_address", "10.1.2.3"),
			Map.entry("facility", "Organization/bachmai"),
			Map.entry("patients", List.of("Patient/cccd-079185001234")),
			Map.entry("resources", List.of("Observation/glucose-1")),
			Map.entry("request", "GET /fhir/Observation?patient=cccd-079185001234"));

	@Test
	void namesThePurposeOfUseTheAccessWasMadeFor() {
		AuditEvent event = AuditEvents.toResource(RECORD);
		assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getSystem())
				.isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActReason");
		assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
	}

	@Test
	void namesTheClientAsRequestorWithItsAddressAndItsFacility() {
		AuditEvent event = AuditEvents.toResource(RECORD);
		AuditEvent.AuditEventAgentComponent client = event.getAgent().get(0);
		assertThat(client.getRequestor()).isTrue();
		assertThat(client.getWho().getIdentifier().getValue()).isEqualTo("bv-bachmai");
		assertThat(client.getWho().getDisplay()).isEqualTo("Bệnh viện Bạch Mai");
		assertThat(client.getNetwork().getAddress()).isEqualTo("10.1.2.3");
		assertThat(event.getAgent().get(1).getWho().getReference()).isEqualTo("Organization/bachmai");
	}

	@Test
	void listsThePatientsTheResourcesAndTheQueryAsEntities() {
		AuditEvent event = AuditEvents.toResource(RECORD);
		assertThat(event.getEntity()).extracting(e -> e.getRole().getCode()).containsExactly("1", "4", "24");
		assertThat(event.getEntity().get(0).getWhat().getReference()).isEqualTo("Patient/cccd-079185001234");
		assertThat(event.getEntity().get(2).getName()).startsWith("GET /fhir/Observation");
		assertThat(event.getIdPart()).isEqualTo("42");
		assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
	}

	@Test
	void aRecordWithoutPurposeOrFacilityHasNeither() {
		AuditEvent event = AuditEvents.toResource(Map.of("seq", 1L, "client_id", "sync"));
		assertThat(event.hasPurposeOfEvent()).isFalse();
		assertThat(event.getAgent()).hasSize(1);
		assertThat(event.hasEntity()).isFalse();
	}

	@Test
	void aReportIsASearchsetInTheOrderGiven() {
		Bundle report = AuditEvents.bundle(List.of(RECORD, Map.of("seq", 7L)));
		assertThat(report.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
		assertThat(report.getTotal()).isEqualTo(2);
		assertThat(report.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
				.containsExactly("urn:vietfhir:audit:42", "urn:vietfhir:audit:7");
	}
}
