package vn.ehealth.fhir.server.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import vn.ehealth.fhir.server.config.VietFhirProperties;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;

/**
 * The public URLs the security checks compare against (token issuer, token endpoint as the client
 * assertion's audience, FHIR base as the access token's audience): from configuration when set,
 * otherwise from the request, the same way for the token endpoint and for /fhir.
 */
public final class ServerUrls {

	private final VietFhirProperties properties;

	public ServerUrls(VietFhirProperties properties) {
		this.properties = properties;
	}

	/** The issuer of our tokens: the server's root URL. */
	public String issuer(HttpServletRequest request) {
		String configured = properties.getSecurity().getIssuer();
		if (!configured.isBlank()) {
			return stripSlash(configured);
		}
		String fhirAddress = properties.getFhir().getServerAddress();
		if (!fhirAddress.isBlank()) {
			String base = stripSlash(fhirAddress);
			return base.endsWith(FhirRestServerConfig.FHIR_PATH)
					? base.substring(0, base.length() - FhirRestServerConfig.FHIR_PATH.length())
					: base;
		}
		return stripSlash(ServletUriComponentsBuilder.fromContextPath(request).build().toUriString());
	}

	public String fhirBase(HttpServletRequest request) {
		String fhirAddress = properties.getFhir().getServerAddress();
		return fhirAddress.isBlank() ? issuer(request) + FhirRestServerConfig.FHIR_PATH : stripSlash(fhirAddress);
	}

	public String tokenEndpoint(HttpServletRequest request) {
		return issuer(request) + TokenEndpoint.PATH;
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}
}
