package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorBroadcaster;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirSettings;
import vn.ehealth.fhir.server.rest.DroppedBindings;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;

/**
 * Patient/$summary (the IPS-shaped patient summary document the national EHR portal reads) and
 * Patient/[id]/$everything, both read from one patient's record in a few queries.
 */
@Configuration(proxyBeanMethods = false)
class SummaryConfig {

	private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SummaryConfig.class);

	@Bean
	FhirServerCustomizer patientRecordOperations(FhirContext fhirContext, DataSource dataSource,
			IInterceptorBroadcaster interceptorBroadcaster, PartitionSettings partitionSettings,
			FhirSettings fhir) {
		PatientRecordStore store = new PatientRecordStore(dataSource, fhirContext, interceptorBroadcaster, partitionSettings);
		PatientCompartment compartment = new PatientCompartment(fhirContext);
		PatientSummaryProvider summary =
				new PatientSummaryProvider(store, new PatientSummaryBuilder(fhirContext, store, compartment,
						fhir.summaryMaxPerType()));
		PatientEverythingProvider everything = new PatientEverythingProvider(fhirContext, store, compartment,
				fhir.defaultPageSize(), fhir.maxPageSize());
		boolean ours = fhir.everythingEngine() == FhirSettings.EverythingEngine.VIETFHIR;
		if (!ours) {
			LOG.warn("vietfhir.fhir.everything-engine=hapi: HAPI's stock $everything answers, a comparison switch for the"
					+ " benchmarks only, not for production / công tắc so sánh cho benchmark, không dùng khi vận hành");
		}
		return server -> {
			server.registerProvider(summary);
			if (ours) {
				// before the server binds its providers: HAPI's instance-level $everything is not bound
				DroppedBindings.of(server).drop(everything::isHapiInstanceEverything);
				server.registerProvider(everything);
			}
			server.registerInterceptor(new EverythingSinceInterceptor(ours));
		};
	}
}
