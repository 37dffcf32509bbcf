package vn.ehealth.fhir.server.observability;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of what the server does beyond single requests, one method per event, for the features
 * where it happens (validation, audit, bulk export and import). Names and tags live here only.
 */
public class ServerMetrics {

	private final MeterRegistry registry;

	ServerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** A resource refused for not conforming to its profile (enforce mode). */
	public void validationRefused(String resourceType) {
		registry.counter("vietfhir.validation.refusals", "resource_type", resourceType).increment();
	}

	/** One call of the HL7 validator on a write: {@code kind} transaction (a whole bundle) or resource. */
	public void validationRun(String kind) {
		registry.counter("vietfhir.validation.runs", "kind", kind).increment();
	}

	/** Entries of a transaction or bulk import proven conformant by the compiled checks, without the HL7 validator. */
	public void validationProven(int entries) {
		registry.counter("vietfhir.validation.proven").increment(entries);
	}

	/** A record appended to the audit chain. */
	public void auditRecordWritten() {
		registry.counter("vietfhir.audit.records").increment();
	}

	/**
	 * Lines of an import that storage refused in their chunk for a reason that may pass (mostly a
	 * reference to a line further down the files): they are tried again in a later round.
	 */
	public void bulkImportLinesRetried(long lines) {
		registry.counter("vietfhir.bulk.import.retried").increment(lines);
	}

	/** A bulk job ended: {@code kind} export or import, {@code status} completed or failed. */
	public void bulkJobEnded(String kind, String status, long resources) {
		registry.counter("vietfhir.bulk.jobs", "kind", kind, "status", status).increment();
		registry.counter("vietfhir.bulk.resources", "kind", kind).increment(resources);
	}
}
