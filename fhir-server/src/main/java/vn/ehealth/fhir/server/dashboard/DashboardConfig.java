package vn.ehealth.fhir.server.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.security.SecuritySettings;

/**
 * The dashboard at /dashboard/ (docs/dashboard.md): where its users sign in. By default the issuer whose
 * tokens /fhir already accepts (vietfhir.security.external-issuer), so a signed-in user's token works there.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = DashboardSettings.ENABLED, havingValue = "true", matchIfMissing = true)
class DashboardConfig {

	@Bean
	SignInEndpoints dashboardSignIn(DashboardSettings settings, SecuritySettings security) {
		String issuer = settings.issuer().isBlank() ? security.externalIssuer() : settings.issuer();
		return new SignInEndpoints(issuer, settings.authorizationEndpoint(), settings.tokenEndpoint(), new ObjectMapper());
	}
}
