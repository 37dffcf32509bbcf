package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request whose body is NDJSON ({@code $import} uploads) and that names no response format gets
 * its answer in JSON. HAPI takes an NDJSON request body as a hint for the response encoding, has
 * none for a single resource in NDJSON and falls back to XML, so curl users of {@code $import}
 * would read their OperationOutcomes in XML while the server's default is JSON.
 */
public class NdjsonRequestResponseFormat {

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = RequestPipeline.PostProcessed.NDJSON_RESPONSE_FORMAT)
	public boolean answerInJson(RequestDetails request) {
		String contentType = request.getHeader("Content-Type");
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("ndjson")
				|| request.getParameters().containsKey("_format")) {
			return true;
		}
		String accept = request.getHeader("Accept");
		if (accept == null || accept.isBlank() || accept.trim().equals("*/*")) {
			Map<String, String[]> parameters = new HashMap<>(request.getParameters());
			parameters.put("_format", new String[] {"json"});
			request.setParameters(parameters);
		}
		return true;
	}
}
