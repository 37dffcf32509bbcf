package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import org.hl7.fhir.r4.model.CodeSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * Code systems loaded from operator files (the full ICD-10 list) replace the guide's curated ones in
 * the in-memory validator, now and after every restart (they are read back from the database).
 */
public class ImportedCodeSystems implements SmartInitializingSingleton {

	private static final Logger LOG = LoggerFactory.getLogger(ImportedCodeSystems.class);

	private final GuideValidationSupport guideSupport;
	private final IValidationSupport validationChain;
	private final IFhirResourceDao<CodeSystem> codeSystemDao;

	public ImportedCodeSystems(
			GuideValidationSupport guideSupport, IValidationSupport validationChain, IFhirResourceDao<CodeSystem> codeSystemDao) {
		this.guideSupport = guideSupport;
		this.validationChain = validationChain;
		this.codeSystemDao = codeSystemDao;
	}

	public void use(CodeSystem codeSystem) {
		guideSupport.addCodeSystem(codeSystem);
		validationChain.invalidateCaches();
	}

	/** After the guide package is installed: bring back a complete ICD-10 list imported earlier. */
	@Override
	public void afterSingletonsInstantiated() {
		SearchParameterMap byUrl = SearchParameterMap.newSynchronous(CodeSystem.SP_URL, new UriParam(VnTerminology.CS_ICD10));
		codeSystemDao.search(byUrl, new SystemRequestDetails()).getAllResources().stream()
				.map(CodeSystem.class::cast)
				.filter(cs -> cs.getContent() == CodeSystem.CodeSystemContentMode.COMPLETE)
				.findFirst()
				.ifPresent(cs -> {
					use(cs);
					LOG.info("Using the imported ICD-10 list ({} top-level concepts)", cs.getConcept().size());
				});
	}
}
