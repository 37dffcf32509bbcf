package vn.ehealth.fhir.server.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param webTestPage serve HAPI's web test page (a browser client of the FHIR API) under /
 */
@ConfigurationProperties("vietfhir")
@Validated
public record WebTestPageSettings(@DefaultValue("true") boolean webTestPage) {

	/** The key, for {@code @ConditionalOnProperty}. */
	static final String KEY = "vietfhir.web-test-page";
}
