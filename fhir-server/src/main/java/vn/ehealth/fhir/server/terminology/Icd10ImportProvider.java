package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.terminology.Icd10FileLoader;
import vn.ehealth.fhir.terminology.LoadIssue;
import vn.ehealth.fhir.terminology.LoadResult;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * {@code POST /fhir/CodeSystem/$import-icd10} with the Ministry's ICD-10 list exported to CSV as the
 * body (Content-Type text/csv): replaces the curated {@code vn-icd10} with the complete list, in the
 * database (for $lookup, $expand, search) and in the validator (at once, no restart).
 */
public class Icd10ImportProvider {

	private final IFhirResourceDao<CodeSystem> codeSystemDao;
	private final ImportedCodeSystems importedCodeSystems;
	private final ITermDeferredStorageSvc deferredStorage;

	public Icd10ImportProvider(
			IFhirResourceDao<CodeSystem> codeSystemDao,
			ImportedCodeSystems importedCodeSystems,
			ITermDeferredStorageSvc deferredStorage) {
		this.codeSystemDao = codeSystemDao;
		this.importedCodeSystems = importedCodeSystems;
		this.deferredStorage = deferredStorage;
	}

	@Operation(name = "$import-icd10", type = CodeSystem.class, manualRequest = true, idempotent = false)
	public Parameters importIcd10(HttpServletRequest servletRequest, RequestDetails request) throws IOException {
		LoadResult result;
		try (InputStream body = servletRequest.getInputStream()) {
			result = new Icd10FileLoader().load(body, "request body");
		}
		if (result.hasErrors()) {
			OperationOutcome outcome = new OperationOutcome();
			for (LoadIssue issue : result.errors()) {
				outcome.addIssue()
						.setSeverity(OperationOutcome.IssueSeverity.ERROR)
						.setCode(OperationOutcome.IssueType.INVALID)
						.setDiagnostics(issue.toString());
			}
			throw new InvalidRequestException("The ICD-10 file has " + result.errors().size() + " error(s)", outcome);
		}
		CodeSystem codeSystem = result.codeSystem();
		codeSystem.setId(existingId().orElse(VnCodeSystem.ICD10.id()));
		codeSystemDao.update(codeSystem, request);
		// HAPI writes large code systems' concepts later, on a timer; the caller expects them now
		deferredStorage.saveAllDeferred();
		importedCodeSystems.use(codeSystem);

		Parameters response = new Parameters();
		response.addParameter("url", new StringType(codeSystem.getUrl()));
		response.addParameter("concepts", new IntegerType(countConcepts(codeSystem.getConcept())));
		result.warnings().forEach(w -> response.addParameter("warning", new StringType(w.toString())));
		return response;
	}

	private java.util.Optional<String> existingId() {
		SearchParameterMap byUrl = SearchParameterMap.newSynchronous(CodeSystem.SP_URL, new UriParam(VnTerminology.CS_ICD10));
		IBundleProvider found = codeSystemDao.search(byUrl, new ca.uhn.fhir.rest.api.server.SystemRequestDetails());
		return found.getAllResources().stream().findFirst().map(r -> r.getIdElement().getIdPart());
	}

	static int countConcepts(java.util.List<CodeSystem.ConceptDefinitionComponent> concepts) {
		int count = 0;
		for (CodeSystem.ConceptDefinitionComponent concept : concepts) {
			count += 1 + countConcepts(concept.getConcept());
		}
		return count;
	}
}
