package vn.ehealth.fhir.server.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** Large request bodies: the default limit real exchanges need, and the permits that bound their memory. */
class LargeBodyPermitsTest {

	private static final long MIB = 1024 * 1024;
	private static final long GIB = 1024 * MIB;

	private static FhirSettings defaults() {
		return new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("vietfhir.fhir", FhirSettings.class);
	}

	@Test
	void theDefaultLimitTakesTheLargestSyntheaPatient() {
		// 43.6 MB: the largest of the 52 Synthea bundles of issue 21, refused at the old 20 MB
		assertThat(defaults().maxRequestSize().toBytes()).isGreaterThan(DataSize.parse("44MB").toBytes());
	}

	@Test
	void smallBodiesNeedNoPermit() {
		LargeBodyPermits permits = new LargeBodyPermits(defaults().largeBodies(), GIB);
		assertThat(permits.isLarge(DataSize.ofMegabytes(16).toBytes())).isFalse();
		assertThat(permits.isLarge(DataSize.ofMegabytes(16).toBytes() + 1)).isTrue();
		assertThat(permits.isLarge(-1)).isFalse();
	}

	@Test
	void aLargeBodyBeyondThePermitsGets503WithRetryAfter() {
		LargeBodyPermits permits = new LargeBodyPermits(
				new FhirSettings.LargeBodies(DataSize.ofMegabytes(1), 1, Duration.ofMillis(50), 50, 10), GIB);
		LargeBodyPermits.Permit first = permits.acquire(2 * MIB);
		assertThatThrownBy(() -> permits.acquire(2 * MIB))
				.isInstanceOfSatisfying(LargeBodyPermits.BusyException.class, e -> {
					assertThat(e.getStatusCode()).isEqualTo(503);
					assertThat(e.retryAfterSeconds()).isEqualTo(1);
					OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
					assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
					assertThat(outcome.getIssueFirstRep().getDiagnostics())
							.startsWith("Máy chủ đang xử lý")
							.contains("vietfhir.fhir.large-bodies.at-once");
				});
		permits.release(first);
		permits.acquire(2 * MIB); // given back, taken again
	}

	@Test
	void largeBodiesWeighTheirSizeAgainstTheHeapTheyMayTakeTogether() {
		// 1 GiB heap, half of it for bodies that take ten times their size: 51 MiB of bodies at once
		LargeBodyPermits permits = new LargeBodyPermits(
				new FhirSettings.LargeBodies(DataSize.ofMegabytes(1), 4, Duration.ofMillis(50), 50, 10), GIB);
		assertThat(permits.largestBody()).isEqualTo(51 * MIB);
		LargeBodyPermits.Permit thirty = permits.acquire(30 * MIB);
		LargeBodyPermits.Permit twenty = permits.acquire(20 * MIB);
		assertThatThrownBy(() -> permits.acquire(5 * MIB)).isInstanceOf(LargeBodyPermits.BusyException.class)
				.hasMessageContaining("heap-share");
		permits.release(thirty);
		LargeBodyPermits.Permit unknownLength = permits.acquire(30 * MIB);
		permits.release(unknownLength);
		permits.release(twenty);
		// a body of unknown length weighs as the largest one
		LargeBodyPermits.Permit chunked = permits.acquire(-1);
		assertThatThrownBy(() -> permits.acquire(MIB)).isInstanceOf(LargeBodyPermits.BusyException.class);
		permits.release(chunked);
	}

	@Test
	void aHeapTooSmallForTheLimitCapsIt() {
		LargeBodyPermits permits = new LargeBodyPermits(defaults().largeBodies(), 2 * GIB);
		// 2 GiB × 50 % ÷ 10: 102 MiB, below the default limit of 256 MB
		assertThat(permits.largestBody()).isEqualTo(102 * MIB).isLessThan(defaults().maxRequestSize().toBytes());
		assertThat(permits.heapLimitReason()).contains("2048 MiB", "102 MiB", "heap-share");
	}
}
