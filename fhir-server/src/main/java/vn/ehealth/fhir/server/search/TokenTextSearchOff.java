package vn.ehealth.fhir.server.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * With {@code vietfhir.search.token-text-index} off (the default) no code's display text is indexed,
 * and HAPI refuses a token search with {@code :text} (the token modifier of FHIR R4's search page) as a 405 "method not
 * allowed" (HAPI-1219). The request is what is wrong, not its method: a 400 that names the setting
 * and the searches that do work.
 */
public class TokenTextSearchOff {

	/** HAPI's code for ":text is disabled on this server" (QueryStack, HAPI 8.8). */
	private static final String HAPI_TEXT_MODIFIER_DISABLED = "HAPI-1219";

	@Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = RequestPipeline.OutgoingException.TOKEN_TEXT_OFF)
	public BaseServerResponseException refuseAsBadRequest(Throwable exception) {
		if (!(exception instanceof MethodNotAllowedException refused)
				|| refused.getMessage() == null || !refused.getMessage().startsWith(HAPI_TEXT_MODIFIER_DISABLED)) {
			return null;
		}
		InvalidRequestException mapped = new InvalidRequestException("Máy chủ không lập chỉ mục chữ hiển thị của mã,"
				+ " nên không tìm được theo :text trên tham số mã (token) (vietfhir.search.token-text-index=false);"
				+ " hãy tìm theo mã (code=hệ-thống|mã) hoặc theo nội dung (_content=…)"
				+ " / This server does not index the display text of codes, so a token parameter takes no :text modifier"
				+ " (vietfhir.search.token-text-index=false); search by the code (code=system|code) or the resource's text (_content=…)");
		mapped.initCause(exception);
		return mapped;
	}
}
