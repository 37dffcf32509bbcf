package vn.ehealth.fhir.server.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.SimplePreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Patient/$everything's {@code _since}: only resources changed after the instant are shown. */
class EverythingSinceInterceptorTest {

	private final EverythingSinceInterceptor interceptor = new EverythingSinceInterceptor(false);

	@Test
	void dropsWhatDidNotChangeAfterTheInstant() {
		SystemRequestDetails request = everything("2026-01-01T00:00:00Z");
		interceptor.takeSince(request);
		assertThat(request.getParameters()).doesNotContainKey("_since"); // HAPI's operation would refuse it

		Resource before = updated("2025-12-31T23:59:59Z");
		Resource at = updated("2026-01-01T00:00:00Z");
		Resource after = updated("2026-01-01T00:00:01Z");
		SimplePreResourceShowDetails shown = new SimplePreResourceShowDetails(List.of(before, at, after));
		interceptor.dropUnchanged(shown, request);
		assertThat(shown.getResource(0)).isNull();
		assertThat(shown.getResource(1)).isNull(); // "after": not at the instant itself
		assertThat(shown.getResource(2)).isSameAs(after);
	}

	@Test
	void refusesASinceThatIsNotAnInstant() {
		assertThatThrownBy(() -> interceptor.takeSince(everything("last week")))
				.isInstanceOf(InvalidRequestException.class).hasMessageContaining("_since must be an instant");
	}

	@Test
	void leavesOtherRequestsAlone() {
		SystemRequestDetails search = new SystemRequestDetails();
		search.setParameters(new HashMap<>(Map.of("_since", new String[] {"2026-01-01T00:00:00Z"})));
		search.setRequestPath("Observation");
		interceptor.takeSince(search);
		assertThat(search.getParameters()).containsKey("_since");

		Resource old = updated("2020-01-01T00:00:00Z");
		SimplePreResourceShowDetails shown = new SimplePreResourceShowDetails(List.of(old));
		interceptor.dropUnchanged(shown, search);
		assertThat(shown.getResource(0)).isSameAs(old);
	}

	private static SystemRequestDetails everything(String since) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setOperation("$everything");
		request.setParameters(new HashMap<>(Map.of("_since", new String[] {since})));
		return request;
	}

	private static Resource updated(String instant) {
		Observation observation = new Observation();
		observation.getMeta().setLastUpdated(Date.from(Instant.parse(instant)));
		return observation;
	}
}
