package vn.ehealth.fhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import vn.ehealth.fhir.server.rest.FhirSettings;
import vn.ehealth.fhir.server.storage.DataDirectory;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * SMART Backend Services for the server: its keys, the client registry, the token endpoint, and
 * the access control on /fhir (default on; {@code vietfhir.security.enabled=false} for local demos).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

	@Bean
	ServerKeys serverKeys(SecuritySettings security, DataDirectory dataDirectory) {
		return ServerKeys.loadOrCreate(
				dataDirectory.keys(security.keysDir()), security.tokenAlgorithm(), security.adminSecret());
	}

	@Bean
	ServerUrls serverUrls(SecuritySettings security, FhirSettings fhir, Environment environment) {
		ServerUrls urls = new ServerUrls(security, fhir);
		if (!urls.isConfigured()) {
			// token issuer and audience would be this machine's local names only (see ServerUrls)
			if (environment.acceptsProfiles(Profiles.of("prod"))) {
				throw new IllegalStateException("Profile prod: set vietfhir.fhir.server-address (or vietfhir.security.issuer),"
						+ " the public URL that tokens are issued for and checked against");
			}
			log.warn("Neither vietfhir.fhir.server-address nor vietfhir.security.issuer is set: tokens are issued for"
					+ " and accepted at this machine's own addresses only (localhost, its host name, its IP addresses)");
		}
		return urls;
	}

	@Bean
	ClientRegistry clientRegistry(DataSource dataSource, SecuritySettings security) {
		ClientRegistry registry = new ClientRegistry(dataSource);
		for (SecuritySettings.BootstrapClient bootstrap : security.bootstrapClients()) {
			registry.save(bootstrapClient(bootstrap));
			log.info("Registered bootstrap client {}", bootstrap.clientId());
		}
		return registry;
	}

	private static RegisteredClient bootstrapClient(SecuritySettings.BootstrapClient bootstrap) {
		try {
			JWKSet jwks = JWKSet.load(bootstrap.jwksFile().toFile());
			java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
			body.put("client_id", bootstrap.clientId());
			body.put("name", bootstrap.name());
			body.put("jwks", jwks.toJSONObject(true));
			body.put("scopes", bootstrap.scopes());
			body.put("purposes", bootstrap.purposes());
			body.put("facility", bootstrap.facility());
			body.put("signature_required", bootstrap.signatureRequired());
			body.put("daily_patient_limit", bootstrap.dailyPatientLimit());
			// the same checks as a registration through /admin/clients
			return AdminClientsEndpoint.parse(body);
		} catch (IOException | ParseException | OAuthError e) {
			throw new IllegalStateException(
					"vietfhir.security.bootstrap-clients: client " + bootstrap.clientId() + ": " + e.getMessage(), e);
		}
	}

	@Bean
	AccessTokens accessTokens(ServerKeys keys, SecuritySettings security) throws IOException, ParseException {
		JWKSource<SecurityContext> externalKeys = null;
		if (!security.externalIssuer().isBlank()) {
			if (security.externalJwksFile() != null) {
				externalKeys = new ImmutableJWKSet<>(JWKSet.load(security.externalJwksFile().toFile()));
			} else if (!security.externalJwksUri().isBlank()) {
				try {
					// fetched on first use, cached and refreshed by Nimbus (key rotation)
					externalKeys = JWKSourceBuilder.create(URI.create(security.externalJwksUri()).toURL()).build();
				} catch (MalformedURLException e) {
					throw new IllegalStateException("vietfhir.security.external-jwks-uri is not a URL", e);
				}
			} else {
				throw new IllegalStateException(
						"vietfhir.security.external-issuer needs external-jwks-uri or external-jwks-file");
			}
		}
		return new AccessTokens(
				keys, security.tokenLifetime(), security.clockSkew(), security.externalIssuer(), externalKeys,
				security.audiences());
	}

	@Bean
	AdminAccess adminAccess(ServerKeys keys, AccessTokens tokens, ServerUrls urls) {
		return new AdminAccess(keys, tokens, urls);
	}

	@Bean
	ClientAssertions clientAssertions(ClientRegistry registry, SecuritySettings security) {
		return new ClientAssertions(registry, security.clockSkew());
	}

	@Bean
	FhirServerCustomizer accessControl(
			AccessTokens tokens, ClientRegistry registry, ServerUrls urls, FhirContext fhirContext, SecuritySettings security,
			ObjectProvider<PublicReadPolicy> publicRead) {
		return server -> {
			if (security.enabled()) {
				server.registerInterceptor(
						new AccessControlInterceptor(tokens, registry, urls, fhirContext, publicRead.getIfAvailable()));
				server.registerInterceptor(new SmartCapabilities(urls));
			} else {
				log.warn("vietfhir.security.enabled=false: /fhir answers without a token. For local demos only.");
			}
		};
	}

	@Bean
	FilterRegistrationBean<SmartConfigurationEndpoint.UnderFhirBase> smartConfigurationUnderFhirBase() {
		FilterRegistrationBean<SmartConfigurationEndpoint.UnderFhirBase> registration =
				new FilterRegistrationBean<>(new SmartConfigurationEndpoint.UnderFhirBase());
		registration.addUrlPatterns(FhirRestServerConfig.FHIR_PATH + "/.well-known/*");
		registration.setOrder(RequestPipeline.Filters.SMART_CONFIGURATION_UNDER_FHIR_BASE);
		return registration;
	}
}
