package vn.ehealth.fhir.server.disclosure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Organization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.profiles.Canonicals;

/** The public disclosure pages under /cong-khai/ (Circular 38/2024/TT-BYT), served from the public directory. */
@Configuration(proxyBeanMethods = false)
class DisclosureConfig {

	private static final String LICENCE_STATUS = Canonicals.PROFILES_FOLDER + "/CodeSystem-vn-licence-status.json";

	@Bean
	ProvinceNames disclosureProvinces() {
		return new ProvinceNames();
	}

	@Bean
	FacilityIndex facilityIndex(DaoRegistry daos, ProvinceNames disclosureProvinces) {
		return new FacilityIndex(daos.getResourceDao(Organization.class), disclosureProvinces, Clock.systemUTC());
	}

	@Bean
	DisclosurePages disclosurePages(ProvinceNames disclosureProvinces, FhirContext fhirContext) {
		return new DisclosurePages(disclosureProvinces, licenceStatus(fhirContext));
	}

	/** The guide's licence status codes: code → [Vietnamese display, English designation]. */
	private static Map<String, String[]> licenceStatus(FhirContext fhirContext) {
		try (InputStream in = DisclosureConfig.class.getClassLoader().getResourceAsStream(LICENCE_STATUS)) {
			if (in == null) {
				throw new IllegalStateException(LICENCE_STATUS + " is not on the classpath");
			}
			Map<String, String[]> displays = new HashMap<>();
			for (CodeSystem.ConceptDefinitionComponent concept
					: fhirContext.newJsonParser().parseResource(CodeSystem.class, in).getConcept()) {
				String english = concept.getDesignation().stream().filter(d -> "en".equals(d.getLanguage()))
						.map(CodeSystem.ConceptDefinitionDesignationComponent::getValue).findFirst().orElse(concept.getCode());
				displays.put(concept.getCode(), new String[] {concept.getDisplay(), english});
			}
			return Map.copyOf(displays);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
