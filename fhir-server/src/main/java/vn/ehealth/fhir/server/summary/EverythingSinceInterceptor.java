package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * HAPI's type-level Patient/$everything's {@code _since} (FHIR R4: only resources updated after that instant). HAPI's
 * operation has no {@code _since}, and its {@code _lastUpdated} does not reach the compartment's
 * resources, so both would return everything. Here the instant is taken off the request and every
 * resource shown for it, on the first page and on the pages that follow (remembered by HAPI's page
 * id for an hour, on this node), is dropped unless it changed after the instant. Pages may then hold
 * fewer entries than _count, and Bundle.total counts before the filter.
 */
public class EverythingSinceInterceptor {

	private static final String SINCE = EverythingSinceInterceptor.class.getName() + ".since";

	private final Cache<String, Instant> pages = Caffeine.newBuilder()
			.expireAfterWrite(Duration.ofHours(1))
			.maximumSize(10_000)
			.build();

	private final boolean oursAtInstanceLevel;

	EverythingSinceInterceptor(boolean oursAtInstanceLevel) {
		this.oursAtInstanceLevel = oursAtInstanceLevel;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = RequestPipeline.PostProcessed.EVERYTHING_SINCE)
	public boolean takeSince(RequestDetails request) {
		String[] since = request.getParameters().get("_since");
		if (since != null && isEverything(request)) {
			if (since.length != 1) {
				throw new InvalidRequestException("$everything takes one _since");
			}
			InstantType instant;
			try {
				instant = new InstantType(since[0]);
			} catch (RuntimeException e) {
				throw new InvalidRequestException("_since must be an instant such as 2025-01-01T00:00:00Z, not '" + since[0] + "'");
			}
			Map<String, String[]> parameters = new HashMap<>(request.getParameters());
			parameters.remove("_since");
			request.setParameters(parameters);
			request.getUserData().put(SINCE, instant.getValue().toInstant());
			return true;
		}
		String[] page = request.getParameters().get("_getpages");
		if (page != null && page.length == 1) {
			Instant remembered = pages.getIfPresent(page[0]);
			if (remembered != null) {
				request.getUserData().put(SINCE, remembered);
			}
		}
		return true;
	}

	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = RequestPipeline.Preshow.EVERYTHING_SINCE)
	public void dropUnchanged(IPreResourceShowDetails details, RequestDetails request) {
		Instant since = request == null ? null : (Instant) request.getUserData().get(SINCE);
		if (since == null) {
			return;
		}
		for (int i = 0; i < details.size(); i++) {
			IBaseResource resource = details.getResource(i);
			if (resource != null && resource.getMeta().getLastUpdated() != null
					&& !resource.getMeta().getLastUpdated().toInstant().isAfter(since)) {
				details.setResource(i, null);
			}
		}
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = RequestPipeline.OutgoingResponse.EVERYTHING_SINCE)
	public boolean rememberNextPage(RequestDetails request, ResponseDetails response) {
		Instant since = (Instant) request.getUserData().get(SINCE);
		if (since != null && response.getResponseResource() instanceof Bundle bundle && bundle.getLink(Bundle.LINK_NEXT) != null) {
			String next = bundle.getLink(Bundle.LINK_NEXT).getUrl();
			int at = next.indexOf("_getpages=");
			if (at >= 0) {
				int end = next.indexOf('&', at);
				pages.put(next.substring(at + 10, end < 0 ? next.length() : end), since);
			}
		}
		return true;
	}

	/** Instance-level only when HAPI answers it: {@link PatientEverythingProvider} takes _since itself. */
	private boolean isEverything(RequestDetails request) {
		if (oursAtInstanceLevel && request.getId() != null && request.getId().hasIdPart()) {
			return false;
		}
		if (request.getOperation() != null) {
			return "$everything".equals(request.getOperation());
		}
		String path = request.getRequestPath();
		return path != null && path.endsWith("/$everything");
	}
}
