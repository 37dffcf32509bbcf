package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many large request bodies the server reads and parses at once, and how much heap they may take
 * together. HAPI holds a body in memory and builds a JSON tree and then the resources from it, about
 * ten times the body's size; a few clients sending bodies of hundreds of MB at once would exhaust the
 * heap. Each large body weighs its size (a body of unknown length, the largest this heap can parse)
 * against a budget of the heap; it waits for its share and gets 503 with Retry-After when none frees up
 * in time. Small bodies never wait. A body larger than the whole budget could never be parsed: the
 * request filter refuses it with 413 before reading it ({@link #largestBody()}).
 */
final class LargeBodyPermits {

	static final int STATUS_CODE = 503;
	private static final long MIB = 1024 * 1024;

	private final long threshold;
	private final int atOnce;
	private final Duration wait;
	private final long maxHeap;
	private final int budgetMib;
	private final Semaphore bodies;
	private final Semaphore mebibytes;

	LargeBodyPermits(FhirSettings.LargeBodies settings, long maxHeapBytes) {
		this.threshold = settings.threshold().toBytes();
		this.atOnce = settings.atOnce();
		this.wait = settings.maxWait();
		this.maxHeap = maxHeapBytes;
		long budget = maxHeapBytes / 100 * settings.heapShare() / settings.heapMultiple();
		this.budgetMib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / MIB));
		this.bodies = new Semaphore(atOnce, true);
		this.mebibytes = new Semaphore(budgetMib, true);
	}

	/** Permits for this JVM's heap ({@link Runtime#maxMemory()}). */
	LargeBodyPermits(FhirSettings.LargeBodies settings) {
		this(settings, Runtime.getRuntime().maxMemory());
	}

	boolean isLarge(long bytes) {
		return bytes > threshold;
	}

	/** The largest body this heap can parse: the whole budget of large bodies. */
	long largestBody() {
		return budgetMib * MIB;
	}

	/** Why {@link #largestBody()} is what it is, for a 413's message. */
	String heapLimitReason() {
		return "the heap of " + maxHeap / MIB + " MiB (-Xmx) parses bodies up to " + budgetMib
				+ " MiB: vietfhir.fhir.large-bodies.heap-share / heap-multiple";
	}

	/**
	 * Waits up to the configured time for a body's share; the caller gives it back with
	 * {@link #release(Permit)}.
	 *
	 * @param declaredBytes the body's Content-Length, or -1 when unknown (chunked or gzip): it then
	 *     weighs as the largest body
	 */
	Permit acquire(long declaredBytes) {
		int weight = (int) Math.min(budgetMib, declaredBytes < 0 ? budgetMib : Math.max(1, (declaredBytes + MIB - 1) / MIB));
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			if (bodies.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				if (mebibytes.tryAcquire(weight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					return new Permit(weight);
				}
				bodies.release();
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		throw new BusyException(busyMessage(), retryAfterSeconds());
	}

	void release(Permit permit) {
		mebibytes.release(permit.mebibytes());
		bodies.release();
	}

	/** A body's share of the budget, in MiB. */
	record Permit(int mebibytes) {}

	private String busyMessage() {
		return "Máy chủ đang xử lý nhiều yêu cầu lớn, vui lòng gửi lại sau / The server is already reading request"
				+ " bodies larger than " + threshold + " bytes (at most " + atOnce + " at once, vietfhir.fhir.large-bodies"
				+ ".at-once, and " + budgetMib + " MiB together, heap-share); none finished within " + wait.toSeconds()
				+ " s, send this one again after Retry-After";
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
