package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.dao.predicate.SearchFilterParser;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Request values HAPI 8.8 passes on unchecked until something deep inside fails with a 500: refused
 * here, once HAPI has parsed the request and chosen its handler, with a 400 that names the value.
 */
public class MalformedRequestIs400 {

	/** An ETag naming a version, as HAPI writes them (FHIR R4 http.html#concurrency): W/"3" or "3". */
	private static final Pattern VERSION_ETAG = Pattern.compile("(W/)?\"?\\d{1,18}\"?");
	private static final Pattern VERSION_ID = Pattern.compile("\\d{1,18}");

	private final FhirContext fhirContext;
	private final ObjectMapper json = new ObjectMapper();

	MalformedRequestIs400(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = RequestPipeline.PostProcessed.MALFORMED_REQUEST)
	public void refuseMalformedValues(RequestDetails request) {
		request.getParameters().forEach(MalformedRequestIs400::checkParameter);
		checkVersionId(request);
		checkIfMatch(request);
		if (request.getRestOperationType() == RestOperationTypeEnum.PATCH) {
			checkPatchBody(request);
		}
	}

	/** HAPI reads If-Match on update, patch and delete (and ignores it on reads) as a version number. */
	private static void checkIfMatch(RequestDetails request) {
		String ifMatch = request.getHeader(Constants.HEADER_IF_MATCH);
		RequestTypeEnum method = request.getRequestType();
		boolean write = method == RequestTypeEnum.PUT || method == RequestTypeEnum.PATCH || method == RequestTypeEnum.DELETE;
		if (write && ifMatch != null && !VERSION_ETAG.matcher(ifMatch.trim()).matches()) {
			throw new InvalidRequestException("If-Match phải là số phiên bản, ví dụ W/\"3\" / If-Match must name a version"
					+ " as the server's ETags do, e.g. W/\"3\"; got " + ifMatch);
		}
	}

	private static void checkParameter(String name, String[] values) {
		for (String value : values) {
			// PostgreSQL text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00")
			if (value.indexOf('\0') >= 0 || name.indexOf('\0') >= 0) {
				throw new InvalidRequestException("Tham số '" + name + "' chứa ký tự NUL (%00) / Parameter '" + name
						+ "' contains a NUL character (%00), which no FHIR string may hold");
			}
			if (name.equals(Constants.PARAM_OFFSET) && value.startsWith("-")) {
				throw new InvalidRequestException("_offset không được âm / _offset must be 0 or more, not " + value);
			}
			if (name.equals(Constants.PARAM_FILTER)) {
				checkFilter(value);
			}
		}
	}

	/** HAPI's own _filter parser, run before the search so that its failures on bad syntax are the client's. */
	private static void checkFilter(String value) {
		try {
			SearchFilterParser.parse(value);
		} catch (Exception e) {
			throw new InvalidRequestException("Biểu thức _filter không hợp lệ / _filter is not a valid filter expression"
					+ " (FHIR search filter syntax): " + value);
		}
	}

	private static void checkVersionId(RequestDetails request) {
		if (request.getId() != null && request.getId().hasVersionIdPart()
				&& !VERSION_ID.matcher(request.getId().getVersionIdPart()).matches()) {
			throw new InvalidRequestException("Số phiên bản không hợp lệ / Version id " + request.getId().getVersionIdPart()
					+ " is not a version number this server can hold (a whole number of at most 18 digits)");
		}
	}

	/** JSON Patch is a JSON array of operations (RFC 6902); FHIRPath Patch is a Parameters resource (FHIR R4 fhirpatch.html). */
	private void checkPatchBody(RequestDetails request) {
		String contentType = request.getHeader(Constants.HEADER_CONTENT_TYPE);
		if (contentType == null) {
			return; // HAPI names the missing Content-Type itself
		}
		PatchTypeEnum type = PatchTypeEnum.forContentTypeOrThrowInvalidRequestException(fhirContext, contentType);
		String body = new String(request.loadRequestContents(), StandardCharsets.UTF_8);
		if (type == PatchTypeEnum.JSON_PATCH && !isJsonArray(body)) {
			throw new InvalidRequestException("Bản vá JSON Patch phải là một mảng thao tác / A JSON Patch body must be a JSON"
					+ " array of operations (RFC 6902), e.g. [{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]");
		}
		if (type == PatchTypeEnum.FHIR_PATCH_JSON || type == PatchTypeEnum.FHIR_PATCH_XML) {
			String resourceType = body.isBlank() ? "an empty body" : parsedType(type, body);
			if (resourceType != null && !"Parameters".equals(resourceType)) {
				throw new InvalidRequestException("Bản vá FHIRPath Patch phải là tài nguyên Parameters / A FHIRPath Patch body"
						+ " must be a Parameters resource, not " + resourceType + "; to replace the whole resource use PUT");
			}
		}
	}

	private boolean isJsonArray(String body) {
		try {
			return !body.isBlank() && json.readTree(body).isArray();
		} catch (JsonProcessingException e) {
			return false;
		}
	}

	/** The body's resource type; null when it does not parse (HAPI's own parser then names the problem). */
	private String parsedType(PatchTypeEnum type, String body) {
		try {
			IBaseResource parsed = (type == PatchTypeEnum.FHIR_PATCH_JSON ? fhirContext.newJsonParser() : fhirContext.newXmlParser())
					.parseResource(body);
			return fhirContext.getResourceType(parsed);
		} catch (DataFormatException e) {
			return null;
		}
	}
}
