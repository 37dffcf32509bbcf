package vn.ehealth.fhir.tests.support;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.util.function.Supplier;

/**
 * Like HAPI's BearerTokenAuthInterceptor, but asks for the token at each request so a cached token
 * is renewed before it expires during a long suite.
 */
final class BearerTokens implements IClientInterceptor {

	private final Supplier<String> token;

	BearerTokens(Supplier<String> token) {
		this.token = token;
	}

	@Override
	public void interceptRequest(IHttpRequest request) {
		request.addHeader("Authorization", "Bearer " + token.get());
	}

	@Override
	public void interceptResponse(IHttpResponse response) {}
}
