package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many large request bodies the server reads and parses at once. HAPI holds a body in memory
 * and builds a JSON tree and then the resources from it, several times the body's size; a few
 * clients sending bodies of hundreds of MB at once would exhaust the heap. A large body waits for a
 * permit and gets 503 with Retry-After when none frees up in time; small bodies never wait.
 */
final class LargeBodyPermits {

	static final int STATUS_CODE = 503;

	private final long threshold;
	private final int atOnce;
	private final Duration wait;
	private final Semaphore permits;

	LargeBodyPermits(FhirSettings.LargeBodies settings) {
		this.threshold = settings.threshold().toBytes();
		this.atOnce = settings.atOnce();
		this.wait = settings.maxWait();
		this.permits = new Semaphore(atOnce, true);
	}

	boolean isLarge(long bytes) {
		return bytes > threshold;
	}

	/** Waits up to the configured time for a permit; the caller releases it with {@link #release()}. */
	void acquire() {
		try {
			if (permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		throw new BusyException(busyMessage(), retryAfterSeconds());
	}

	void release() {
		permits.release();
	}

	private String busyMessage() {
		return "Máy chủ đang xử lý nhiều yêu cầu lớn, vui lòng gửi lại sau / The server is already reading " + atOnce
				+ " request bodies larger than " + threshold + " bytes (vietfhir.fhir.large-bodies.at-once); none"
				+ " finished within " + wait.toSeconds() + " s, send this one again after Retry-After";
	}

	private long retryAfterSeconds() {
		return Math.max(1, wait.toSeconds());
	}

	/** 503 Service Unavailable with Retry-After (RFC 9110 15.6.4, 10.2.3): the body was not read. */
	static final class BusyException extends BaseServerResponseException {
		BusyException(String message, long retryAfterSeconds) {
			super(STATUS_CODE, message, OperationOutcomes.error("transient", message));
			addResponseHeader("Retry-After", String.valueOf(retryAfterSeconds));
		}

		long retryAfterSeconds() {
			return Long.parseLong(getResponseHeaders().get("Retry-After").get(0));
		}
	}
}
