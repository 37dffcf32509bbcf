package vn.ehealth.fhir.server.bulkimport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.model.api.StorageResponseCodeEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import vn.ehealth.fhir.server.audit.AuditTrailInterceptor;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/**
 * Stores NDJSON lines as the REST API would store {@code PUT [type]/[id]} of each, a chunk at a time:
 * under the same validation (the guide's profiles, enforced through the same interceptor as REST
 * writes, one validator call per chunk) and the same storage rules (the REST server's interceptors see
 * every write), audited per chunk. Storing by id makes a second import of the same lines change
 * nothing: HAPI keeps an unchanged resource's version.
 *
 * <p>A chunk is one database transaction. When it fails, its entries are stored again as a batch, each
 * entry on its own, so one bad line costs only itself; the lines that fail there are reported with the
 * storage layer's OperationOutcome.
 */
public class NdjsonImporter {

	private static final Logger log = LoggerFactory.getLogger(NdjsonImporter.class);
	/** FHIR id syntax (R4 "id" datatype). */
	private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
	private static final Pattern DIGITS = Pattern.compile("\\d+");
	private static final String FULL_URL_BASE = "http://import.vietfhir.invalid/fhir/";
	private static final Pattern ENTRY_PREFIX = Pattern.compile("^Bundle\\.entry\\[\\d+\\]\\.resource");

	private final FhirContext fhirContext;
	private final IFhirSystemDao<Bundle, Meta> systemDao;
	private final ProfileEnforcingInterceptor validation;
	private final AuditTrailInterceptor audit;
	private final ObjectProvider<RestfulServer> restfulServer;
	private final JpaStorageSettings storageSettings;
	private final ChunkWriter chunkWriter;
	private final ServerMetrics metrics;
	private final int chunkSize;
	private final int storeThreads;

	/** A parsed line, ready to store, and the resources ({@code Type/id}) it refers to. */
	record Entry(int input, long line, String text, Resource resource, Set<String> references) {
		String key() {
			return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
		}
	}

	/**
	 * A line that was not stored, and why. Retryable failures came from storage (most often a reference
	 * to a resource that a later line creates) and may succeed on a later attempt; the others (not
	 * JSON, no id, profile errors) never will.
	 */
	record Failure(int input, long line, String text, String key, String reason, List<OperationOutcome.OperationOutcomeIssueComponent> issues, boolean retryable) {

		/** The OperationOutcome of the error file: what, where (input and line), then the detailed issues. */
		OperationOutcome outcome(String inputLabel) {
			OperationOutcome outcome = new OperationOutcome();
			String where = "line " + line + (inputLabel == null ? "" : " of " + inputLabel);
			String what = key == null ? "" : " (" + key + ")";
			outcome.addIssue()
					.setSeverity(OperationOutcome.IssueSeverity.ERROR)
					.setCode(retryable ? OperationOutcome.IssueType.PROCESSING : OperationOutcome.IssueType.INVALID)
					.setDiagnostics("Dòng " + line + what + " không được nhập / " + capitalise(where) + what
							+ " was not imported: " + reason)
					.addLocation("line " + line);
			issues.forEach(issue -> outcome.addIssue(issue.copy()));
			return outcome;
		}

		private static String capitalise(String text) {
			return Character.toUpperCase(text.charAt(0)) + text.substring(1);
		}
	}

	/**
	 * What one chunk gave: resources stored by type (unchanged ones included), how many of them were
	 * already stored exactly so (no new version), and the lines that failed.
	 */
	record ChunkResult(Map<String, Long> stored, long unchanged, List<Failure> failures) {
		long storedCount() {
			return stored.values().stream().mapToLong(Long::longValue).sum();
		}
	}

	NdjsonImporter(
			FhirContext fhirContext,
			IFhirSystemDao<Bundle, Meta> systemDao,
			ProfileEnforcingInterceptor validation,
			AuditTrailInterceptor audit,
			ObjectProvider<RestfulServer> restfulServer,
			JpaStorageSettings storageSettings,
			ChunkWriter chunkWriter,
			ServerMetrics metrics,
			int chunkSize,
			int storeThreads) {
		this.fhirContext = fhirContext;
		this.systemDao = systemDao;
		this.validation = validation;
		this.audit = audit;
		this.restfulServer = restfulServer;
		this.storageSettings = storageSettings;
		this.chunkWriter = chunkWriter;
		this.metrics = metrics;
		this.chunkSize = Math.max(1, chunkSize);
		this.storeThreads = Math.max(1, storeThreads);
	}

	int chunkSize() {
		return chunkSize;
	}

	/** Chunks of one import stored at the same time. */
	int storeThreads() {
		return storeThreads;
	}

	FhirContext fhirContext() {
		return fhirContext;
	}

	/**
	 * Parses one line: an {@link Entry}, or a {@link Failure} when it is not a FHIR resource in JSON, has
	 * no usable id, or is not of the input's type ({@code expectedType}, null for any).
	 */
	Object parse(int input, long line, String text, String expectedType) {
		Resource resource;
		try {
			IBaseResource parsed = fhirContext.newJsonParser().parseResource(text);
			if (!(parsed instanceof Resource r)) {
				return failure(input, line, text, null, "not an R4 resource");
			}
			resource = r;
		} catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
			return failure(input, line, text, null, "not a FHIR resource in JSON: " + e.getMessage());
		}
		String type = resource.fhirType();
		String id = resource.getIdElement().getIdPart();
		if (expectedType != null && !expectedType.equals(type)) {
			return failure(input, line, text, type + (id == null ? "" : "/" + id),
					"the input holds " + expectedType + " resources, this line is a " + type);
		}
		if (id == null || id.isBlank()) {
			return failure(input, line, text, type, "it has no id; import stores each resource under its own id"
					+ " (so that importing the same data again changes nothing)");
		}
		if (!FHIR_ID.matcher(id).matches()) {
			return failure(input, line, text, type + "/" + id, "its id is not a valid FHIR id (A-Z a-z 0-9 - ., at most 64)");
		}
		if (DIGITS.matcher(id).matches()
				&& storageSettings.getResourceClientIdStrategy() != JpaStorageSettings.ClientIdStrategyEnum.ANY) {
			return failure(input, line, text, type + "/" + id, "its id is purely numeric; this server numbers its own"
					+ " resources and accepts client-assigned ids only with a non-digit (give the source server"
					+ " vietfhir.fhir.server-id-strategy=uuid)");
		}
		// the stored version is the server's: a versionId from elsewhere would only confuse readers
		resource.setIdElement(resource.getIdElement().toUnqualifiedVersionless());
		return new Entry(input, line, text, resource, references(resource));
	}

	/** The resources a resource refers to by relative reference ({@code Type/id}): what must be stored before it. */
	private Set<String> references(Resource resource) {
		Set<String> keys = new HashSet<>();
		for (Reference reference : fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
			IIdType target = reference.getReferenceElement();
			if (target.hasResourceType() && target.hasIdPart() && !target.isAbsolute()) {
				keys.add(target.getResourceType() + "/" + target.getIdPart());
			}
		}
		return keys;
	}

	private static Failure failure(int input, long line, String text, String key, String reason) {
		return new Failure(input, line, text, key, reason, List.of(), false);
	}

	/**
	 * A chunk validated and ready to store: the entries that passed (marked validated on the request
	 * that will store them) and the ones that did not. Validation needs nothing stored, so the next
	 * chunk is prepared while the previous one is being stored.
	 */
	static final class Prepared {
		private final RequestDetails request;
		private final List<Entry> valid;
		private final List<Failure> failures;

		private Prepared(RequestDetails request, List<Entry> valid, List<Failure> failures) {
			this.request = request;
			this.valid = valid;
			this.failures = failures;
		}
	}

	/** Validates parsed entries (at most one per resource id) in one validator call. */
	Prepared prepare(List<Entry> entries) {
		List<Failure> failures = new ArrayList<>();
		List<Entry> valid = new ArrayList<>();
		RequestDetails request = newRequest();
		if (entries.isEmpty()) {
			return new Prepared(request, valid, failures);
		}
		Bundle transaction = bundleOf(entries, Bundle.BundleType.TRANSACTION);
		Map<Integer, List<SingleValidationMessage>> invalid = validation.validateEntries(transaction, request);
		for (int i = 0; i < entries.size(); i++) {
			Entry entry = entries.get(i);
			List<SingleValidationMessage> errors = invalid.get(i);
			if (errors == null) {
				valid.add(entry);
			} else {
				failures.add(invalidEntry(entry, errors));
			}
		}
		return new Prepared(request, valid, failures);
	}

	/**
	 * Stores a prepared chunk as one transaction of PUTs; when that fails, entry by entry. {@code
	 * auditContext} names who the import is for (client_id, facility, purpose, job).
	 */
	ChunkResult commit(Prepared prepared, Map<String, Object> auditContext) {
		List<Failure> failures = new ArrayList<>(prepared.failures);
		if (prepared.valid.isEmpty()) {
			return new ChunkResult(Map.of(), 0, failures);
		}
		try {
			Bundle response = chunkWriter.write(prepared.request, bundleOf(prepared.valid, Bundle.BundleType.TRANSACTION));
			audit.recordBackground(prepared.request, "$import", "U", auditContext);
			return new ChunkResult(countByType(prepared.valid), unchanged(response), failures);
		} catch (RuntimeException e) {
			log.debug("Import chunk failed as a transaction ({}); storing its entries one by one", e.getMessage());
		}
		ChunkResult result = storeOneByOne(prepared.valid, failures, auditContext);
		metrics.bulkImportLinesRetried(result.failures().stream().filter(Failure::retryable).count());
		return result;
	}

	/** The batch fallback: each entry in its own transaction, its own outcome. */
	private ChunkResult storeOneByOne(List<Entry> valid, List<Failure> failures, Map<String, Object> auditContext) {
		Bundle batch = bundleOf(valid, Bundle.BundleType.BATCH);
		RequestDetails request = newRequest();
		// already validated above: the per-resource hook may skip them
		ProfileEnforcingInterceptor.markValidated(request, valid.stream().map(Entry::resource).toList());
		Bundle response;
		try {
			response = systemDao.transaction(request, batch);
		} catch (RuntimeException e) {
			for (Entry entry : valid) {
				failures.add(storageFailure(entry, e.getMessage(), null, true));
			}
			return new ChunkResult(Map.of(), 0, failures);
		}
		List<Entry> stored = new ArrayList<>();
		for (int i = 0; i < valid.size(); i++) {
			Entry entry = valid.get(i);
			Bundle.BundleEntryResponseComponent outcome = i < response.getEntry().size()
					? response.getEntry().get(i).getResponse()
					: null;
			String status = outcome == null ? "" : outcome.getStatus();
			if (status != null && status.startsWith("2")) {
				stored.add(entry);
				continue;
			}
			OperationOutcome details = outcome != null && outcome.getOutcome() instanceof OperationOutcome oo ? oo : null;
			String code = status == null ? "" : status.split(" ")[0];
			boolean retryable = !code.equals("403") && !code.equals("422");
			failures.add(storageFailure(entry, "refused by storage (" + status + ")", details, retryable));
		}
		audit.recordBackground(request, "$import", "U", auditContext);
		return new ChunkResult(countByType(stored), unchanged(response), failures);
	}

	private Failure invalidEntry(Entry entry, List<SingleValidationMessage> errors) {
		String type = entry.resource().fhirType();
		for (SingleValidationMessage message : errors) {
			if (message.getLocationString() != null) {
				// where in the line, not where in the chunk's Bundle
				message.setLocationString(ENTRY_PREFIX.matcher(message.getLocationString()).replaceFirst(type));
			}
		}
		OperationOutcome outcome = (OperationOutcome) new ValidationResult(fhirContext, errors).toOperationOutcome();
		return new Failure(entry.input(), entry.line(), entry.text(), entry.key(),
				"it does not conform to the guide's profiles: " + errors.size() + " error(s)", outcome.getIssue(), false);
	}

	private static Failure storageFailure(Entry entry, String reason, OperationOutcome details, boolean retryable) {
		List<OperationOutcome.OperationOutcomeIssueComponent> issues = details == null ? List.of() : details.getIssue();
		String first = issues.isEmpty() ? null : issues.get(0).getDiagnostics();
		return new Failure(entry.input(), entry.line(), entry.text(), entry.key(),
				first == null ? reason : reason + ": " + first, issues, retryable);
	}

	private static Bundle bundleOf(List<Entry> entries, Bundle.BundleType type) {
		Bundle bundle = new Bundle().setType(type);
		for (Entry entry : entries) {
			bundle.addEntry()
					// a full URL on one base, so that a line's relative references to other lines of the chunk
					// resolve inside the Bundle for the validator (a quarter faster than unresolved ones)
					.setFullUrl(FULL_URL_BASE + entry.key())
					.setResource(entry.resource())
					.getRequest()
					.setMethod(Bundle.HTTPVerb.PUT)
					.setUrl(entry.key());
		}
		return bundle;
	}

	/** Entries HAPI stored as they were (its storage response code says no new version was made). */
	private static long unchanged(Bundle response) {
		return response.getEntry().stream().filter(e -> hasCode(e.getResponse(), "NO_CHANGE")).count();
	}

	private static boolean hasCode(Bundle.BundleEntryResponseComponent response, String suffix) {
		return response.getOutcome() instanceof OperationOutcome outcome
				&& outcome.getIssue().stream()
						.flatMap(issue -> issue.getDetails().getCoding().stream())
						.anyMatch(coding -> StorageResponseCodeEnum.SYSTEM.equals(coding.getSystem())
								&& coding.getCode() != null && coding.getCode().endsWith(suffix));
	}

	private static Map<String, Long> countByType(List<Entry> entries) {
		Map<String, Long> counts = new TreeMap<>();
		entries.forEach(e -> counts.merge(e.resource().fhirType(), 1L, Long::sum));
		return counts;
	}

	/** What a delete call gave: resources that existed and were deleted, and the ones that could not be deleted (with why). */
	public record DeleteResult(long deleted, Map<String, String> failed) {}

	/**
	 * Deletes resources ({@code Type/id}) in one transaction, under the same interceptors as a REST
	 * delete; when that fails, one by one. Deleting what is already gone changes nothing and is no error.
	 */
	public DeleteResult delete(List<String> references, Map<String, Object> auditContext) {
		Map<String, String> failed = new TreeMap<>();
		if (references.isEmpty()) {
			return new DeleteResult(0, failed);
		}
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		references.forEach(ref -> transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(ref));
		RequestDetails request = newRequest();
		try {
			Bundle response = systemDao.transaction(request, transaction);
			audit.recordBackground(request, "$import", "D", auditContext);
			return new DeleteResult(deleted(response), failed);
		} catch (RuntimeException e) {
			log.debug("Delete chunk failed as a transaction ({}); deleting one by one", e.getMessage());
		}
		long deleted = 0;
		for (String reference : references) {
			Bundle one = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			one.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(reference);
			RequestDetails single = newRequest();
			try {
				deleted += deleted(systemDao.transaction(single, one));
				audit.recordBackground(single, "$import", "D", auditContext);
			} catch (BaseServerResponseException e) {
				failed.put(reference, e.getStatusCode() + " " + e.getMessage());
			} catch (RuntimeException e) {
				failed.put(reference, e.getMessage());
			}
		}
		return new DeleteResult(deleted, failed);
	}

	private static long deleted(Bundle response) {
		return response.getEntry().stream()
				.filter(e -> hasCode(e.getResponse(), StorageResponseCodeEnum.SUCCESSFUL_DELETE.getCode()))
				.count();
	}

	/**
	 * A request as the REST server's interceptors know it (validation, AuditEvent guard, audit
	 * collection): HAPI's storage hooks call both its own interceptors and the request's broadcaster.
	 */
	private RequestDetails newRequest() {
		RestfulServer server = restfulServer.getObject();
		SystemRequestDetails request = new SystemRequestDetails(server.getInterceptorService());
		request.setServer(server);
		audit.beginBackground(request);
		return request;
	}
}
