package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * Code systems loaded from operator files (the full ICD-10 list, the communes) join the guide's in
 * the in-memory validator, now and after every restart (they are read back from the database).
 */
public class ImportedCodeSystems implements SmartInitializingSingleton {

	private static final Logger LOG = LoggerFactory.getLogger(ImportedCodeSystems.class);

	private final GuideValidationSupport guideSupport;
	private final IValidationSupport validationChain;
	private final IFhirResourceDao<CodeSystem> codeSystemDao;
	private final IFhirResourceDao<ValueSet> valueSetDao;

	public ImportedCodeSystems(
			GuideValidationSupport guideSupport,
			IValidationSupport validationChain,
			IFhirResourceDao<CodeSystem> codeSystemDao,
			IFhirResourceDao<ValueSet> valueSetDao) {
		this.guideSupport = guideSupport;
		this.validationChain = validationChain;
		this.codeSystemDao = codeSystemDao;
		this.valueSetDao = valueSetDao;
	}

	public void use(CodeSystem codeSystem, ValueSet valueSet) {
		guideSupport.addCodeSystem(codeSystem);
		if (valueSet != null) {
			guideSupport.addValueSet(valueSet);
		}
		validationChain.invalidateCaches();
	}

	/** After the guide package is installed: bring back the complete lists imported earlier. */
	@Override
	public void afterSingletonsInstantiated() {
		reload(VnTerminology.CS_ICD10, null);
		reload(VnTerminology.CS_COMMUNE, VnTerminology.VS_COMMUNE);
	}

	private void reload(String codeSystemUrl, String valueSetUrl) {
		CodeSystem imported = StoredByUrl.find(codeSystemDao, codeSystemUrl).orElse(null);
		if (imported == null || imported.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE) {
			return; // only the guide's curated list: nothing was imported
		}
		use(imported, valueSetUrl == null ? null : StoredByUrl.find(valueSetDao, valueSetUrl).orElse(null));
		LOG.info("Using the imported {} ({} top-level concepts)", codeSystemUrl, imported.getConcept().size());
	}
}
