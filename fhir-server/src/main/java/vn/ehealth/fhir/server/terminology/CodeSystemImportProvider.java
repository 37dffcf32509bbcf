package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import vn.ehealth.fhir.terminology.CodeSystemFileLoader;
import vn.ehealth.fhir.terminology.Icd10FileLoader;
import vn.ehealth.fhir.terminology.LoadIssue;
import vn.ehealth.fhir.terminology.LoadResult;
import vn.ehealth.fhir.terminology.TerminologyLoadException;
import vn.ehealth.fhir.terminology.VnCommuneFileLoader;

/**
 * Code systems whose full list comes from an official file, loaded with the file (CSV export) as
 * the request body (Content-Type text/csv), into the database (for $lookup, $expand, search) and
 * the validator at once:
 * <ul>
 *   <li>{@code POST /fhir/CodeSystem/$import-icd10}: the Ministry's ICD-10 list replaces the curated {@code vn-icd10};
 *   <li>{@code POST /fhir/CodeSystem/$import-communes}: the 3,321 communes of 2025 as {@code vn-commune} and its ValueSet.
 * </ul>
 */
public class CodeSystemImportProvider {

	private final IFhirResourceDao<CodeSystem> codeSystemDao;
	private final IFhirResourceDao<ValueSet> valueSetDao;
	private final ImportedCodeSystems importedCodeSystems;
	private final ITermDeferredStorageSvc deferredStorage;

	CodeSystemImportProvider(
			IFhirResourceDao<CodeSystem> codeSystemDao,
			IFhirResourceDao<ValueSet> valueSetDao,
			ImportedCodeSystems importedCodeSystems,
			ITermDeferredStorageSvc deferredStorage) {
		this.codeSystemDao = codeSystemDao;
		this.valueSetDao = valueSetDao;
		this.importedCodeSystems = importedCodeSystems;
		this.deferredStorage = deferredStorage;
	}

	@Operation(name = "$import-icd10", type = CodeSystem.class, manualRequest = true, idempotent = false)
	public Parameters importIcd10(HttpServletRequest servletRequest, RequestDetails request) throws IOException {
		return store(read(new Icd10FileLoader(), servletRequest), null, request);
	}

	@Operation(name = "$import-communes", type = CodeSystem.class, manualRequest = true, idempotent = false)
	public Parameters importCommunes(HttpServletRequest servletRequest, RequestDetails request) throws IOException {
		LoadResult result = read(new VnCommuneFileLoader(), servletRequest);
		ValueSet valueSet = result.hasErrors() ? null : VnCommuneFileLoader.valueSet(result.codeSystem());
		return store(result, valueSet, request);
	}

	/** Reads the file; one that cannot be read at all (empty, not UTF-8, no code column) is the client's 400 too. */
	private static LoadResult read(CodeSystemFileLoader loader, HttpServletRequest servletRequest) throws IOException {
		try (InputStream body = servletRequest.getInputStream()) {
			return loader.load(body, "request body");
		} catch (TerminologyLoadException e) {
			throw refused(e.issues());
		}
	}

	private static InvalidRequestException refused(List<LoadIssue> errors) {
		OperationOutcome outcome = new OperationOutcome();
		for (LoadIssue issue : errors) {
			outcome.addIssue()
					.setSeverity(OperationOutcome.IssueSeverity.ERROR)
					.setCode(OperationOutcome.IssueType.INVALID)
					.setDiagnostics(issue.toString());
		}
		return new InvalidRequestException("Tệp có " + errors.size() + " lỗi, không nạp gì / The file has " + errors.size()
				+ " error(s); nothing was loaded", outcome);
	}

	private Parameters store(LoadResult result, ValueSet valueSet, RequestDetails request) {
		if (result.hasErrors()) {
			throw refused(result.errors());
		}
		CodeSystem codeSystem = result.codeSystem();
		update(codeSystemDao, codeSystem, request);
		if (valueSet != null) {
			update(valueSetDao, valueSet, request);
		}
		// HAPI writes large code systems' concepts later, on a timer; the caller expects them now
		deferredStorage.saveAllDeferred();
		importedCodeSystems.use(codeSystem, valueSet);

		Parameters response = new Parameters();
		response.addParameter("url", new StringType(codeSystem.getUrl()));
		response.addParameter("concepts", new IntegerType(countConcepts(codeSystem.getConcept())));
		result.warnings().forEach(w -> response.addParameter("warning", new StringType(w.toString())));
		return response;
	}

	/** Replaces the stored resource with the same canonical URL, or creates it under its own id. */
	private static <T extends MetadataResource> void update(IFhirResourceDao<T> dao, T resource, RequestDetails request) {
		String url = resource.getUrl();
		// canonical URLs end in the id the contract fixes (…/CodeSystem/vn-icd10)
		resource.setId(StoredByUrl.find(dao, url)
				.map(stored -> stored.getIdElement().getIdPart())
				.orElse(url.substring(url.lastIndexOf('/') + 1)));
		dao.update(resource, request);
	}

	static int countConcepts(List<CodeSystem.ConceptDefinitionComponent> concepts) {
		int count = 0;
		for (CodeSystem.ConceptDefinitionComponent concept : concepts) {
			count += 1 + countConcepts(concept.getConcept());
		}
		return count;
	}
}
