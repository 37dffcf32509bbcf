package vn.ehealth.fhir.server.audit;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Audit records as FHIR R4 AuditEvent resources, in the shape of IHE Basic Audit Log Patterns
 * (https://profiles.ihe.net/ITI/BALP/): type rest, subtype the RESTful interaction, the client as
 * requesting agent (with its network address), its facility and the user it names as further
 * agents, the purpose of use, this server as source, the patients and resources as entities.
 * Built on reading; the table keeps the canonical JSON the hash chain covers.
 */
final class AuditEvents {

	static final String CLIENT_SYSTEM = "urn:vietfhir:client";
	static final String USER_SYSTEM = "urn:vietfhir:user";
	/** Subtype system of a record flagged for inspectors (e.g. {@code volume-limit}). */
	static final String FLAG_SYSTEM = "urn:vietfhir:audit-flag";
	private static final String PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
	private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
	private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

	private AuditEvents() {}

	static AuditEvent toResource(Map<String, Object> record) {
		AuditEvent event = new AuditEvent();
		event.setId(String.valueOf(record.get("seq")));
		event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
		if (record.get("interaction") instanceof String interaction) {
			event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", interaction, null));
		}
		if (record.get("operation") instanceof String operation) {
			event.addSubtype(new Coding().setCode(operation).setDisplay(operation));
		}
		if (record.get("flag") instanceof String flag) {
			event.addSubtype(new Coding(FLAG_SYSTEM, flag, null));
		}
		if (record.get("action") instanceof String action) {
			event.setAction(AuditEvent.AuditEventAction.fromCode(action));
		}
		if (record.get("recorded") instanceof String recorded) {
			event.setRecorded(Date.from(Instant.parse(recorded)));
		}
		if (record.get("outcome") instanceof String outcome) {
			event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(outcome));
		}
		event.setOutcomeDesc(text(record, "outcome_desc"));
		if (record.get("purpose") instanceof String purpose) {
			event.addPurposeOfEvent().addCoding(new Coding(PURPOSE_SYSTEM, purpose, null));
		}

		AuditEvent.AuditEventAgentComponent client = event.addAgent().setRequestor(true);
		client.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID"));
		client.setWho(new Reference()
				.setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue(text(record, "client_id")))
				.setDisplay(text(record, "client_name")));
		if (record.get("source_address") instanceof String address) {
			client.getNetwork().setAddress(address).setType(AuditEvent.AuditEventAgentNetworkType._2);
		}
		if (record.get("facility") instanceof String facility) {
			AuditEvent.AuditEventAgentComponent organisation = event.addAgent().setRequestor(false);
			organisation.getType().setText("facility");
			organisation.setWho(new Reference(facility));
		}
		if (record.get("user") instanceof String user) {
			AuditEvent.AuditEventAgentComponent person = event.addAgent().setRequestor(true).setAltId(user);
			person.getType().setText("user");
			person.setWho(new Reference().setIdentifier(new Identifier().setSystem(USER_SYSTEM).setValue(user)));
		}

		event.getSource().setSite("VietFHIR")
				.setObserver(new Reference().setDisplay(text(record, "server")))
				.addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

		for (String patient : list(record, "patients")) {
			event.addEntity().setWhat(new Reference(patient))
					.setType(new Coding(ENTITY_TYPE, "1", "Person"))
					.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
		}
		for (String resource : list(record, "resources")) {
			event.addEntity().setWhat(new Reference(resource))
					.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
					.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
		}
		if (record.get("request") instanceof String request) {
			event.addEntity().setName(request)
					.setType(new Coding(ENTITY_TYPE, "2", "System Object"))
					.setRole(new Coding(OBJECT_ROLE, "24", "Query"));
		}
		return event;
	}

	/** A searchset Bundle of the records, in the order given. */
	static Bundle bundle(List<Map<String, Object>> records) {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
		bundle.setTotal(records.size());
		for (Map<String, Object> record : records) {
			AuditEvent event = toResource(record);
			bundle.addEntry().setFullUrl("urn:vietfhir:audit:" + event.getIdPart()).setResource(event);
		}
		return bundle;
	}

	private static String text(Map<String, Object> record, String key) {
		return record.get(key) instanceof String s ? s : null;
	}

	private static List<String> list(Map<String, Object> record, String key) {
		return record.get(key) instanceof List<?> values ? values.stream().map(String::valueOf).toList() : List.of();
	}
}
