package vn.ehealth.fhir.server.guide;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.validation.GuidePackage;

/**
 * The guide's public pages under /ig/: the package the server validates with, read once at startup.
 * The ObjectMapper is private to the pages, not a bean, so Spring Boot's own stays as configured.
 */
@Configuration(proxyBeanMethods = false)
class GuideConfig {

	@Bean
	GuideCatalog guideCatalog(GuidePackage corePackage) {
		return GuideCatalog.read(corePackage, new ObjectMapper());
	}

	@Bean
	GuidePages guidePages(GuideCatalog guideCatalog) {
		return new GuidePages(guideCatalog, new ObjectMapper());
	}
}
