package vn.ehealth.fhir.server.bulkimport;

import java.time.Instant;
import java.util.List;

/**
 * One $import job as stored in {@code vf_bulk_import_job}.
 *
 * @param uploaded whether its one input is a file uploaded to {@link #node} (else its inputs are URLs any node may fetch)
 * @param node the node holding the upload, or the node running the job
 * @param failureStatus for a failed job, the HTTP status its poll answers: 4xx when the input was at fault
 */
public record ImportJob(
		String id,
		Status status,
		boolean uploaded,
		String node,
		String clientId,
		String facility,
		String purpose,
		String request,
		List<Input> inputs,
		Instant createdAt,
		Instant startedAt,
		Instant finishedAt,
		Instant transactionTime,
		Checkpoint checkpoint,
		int attempts,
		String message,
		Integer failureStatus,
		String manifest) {

	public enum Status {
		QUEUED,
		RUNNING,
		COMPLETED,
		FAILED,
		/** Cancelled while queued or running, or deleted by its client after it finished: polls answer 404. */
		CANCELLED;

		String code() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static Status of(String code) {
			return valueOf(code.toUpperCase(java.util.Locale.ROOT));
		}
	}

	/** One input: the resource type its lines must have (null: any), and where it came from. */
	public record Input(String type, String url) {}

	public boolean finished() {
		return status == Status.COMPLETED || status == Status.FAILED || status == Status.CANCELLED;
	}
}
