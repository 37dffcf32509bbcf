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
		LargeBodyPermits permits = new LargeBodyPermits(defaults().largeBodies());
		assertThat(permits.isLarge(DataSize.ofMegabytes(16).toBytes())).isFalse();
		assertThat(permits.isLarge(DataSize.ofMegabytes(16).toBytes() + 1)).isTrue();
		assertThat(permits.isLarge(-1)).isFalse();
	}

	@Test
	void aLargeBodyBeyondThePermitsGets503WithRetryAfter() {
		LargeBodyPermits permits = new LargeBodyPermits(
				new FhirSettings.LargeBodies(DataSize.ofMegabytes(1), 1, Duration.ofMillis(50)));
		permits.acquire();
		assertThatThrownBy(permits::acquire)
				.isInstanceOfSatisfying(LargeBodyPermits.BusyException.class, e -> {
					assertThat(e.getStatusCode()).isEqualTo(503);
					assertThat(e.retryAfterSeconds()).isEqualTo(1);
					OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
					assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
					assertThat(outcome.getIssueFirstRep().getDiagnostics())
							.startsWith("Máy chủ đang xử lý")
							.contains("vietfhir.fhir.large-bodies.at-once");
				});
		permits.release();
		permits.acquire(); // given back, taken again
	}
}
