package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import vn.ehealth.fhir.server.audit.PatientVolumeLimit;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.Refusals;
import vn.ehealth.fhir.server.security.SmartScopes;

/**
 * Bulk Data Access 2.0 $export over HTTP (with the Bulk Data 3.0 _until and organizeOutputBy=Patient):
 * kick-off at system, Patient and Group level (GET or POST),
 * the status endpoint (poll, DELETE to cancel), and file download. The work itself is queued in
 * {@link ExportJobStore} and done by {@link ExportWorkers}. Only the client that started an export
 * sees its status and files; to any other, the job does not exist.
 */
public class BulkExportProvider {

	static final String EXPORT = "$export";
	static final String POLL = "$export-poll-status";
	static final String DOWNLOAD = "$export-download";

	private static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
	private static final Set<String> PROVENANCE = Set.of("LatestProvenanceResources", "RelevantProvenanceResources");
	/** Conformance and terminology types: a system export leaves them out unless _type names them. */
	private static final Set<String> NOT_DATA = Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap",
			"SearchParameter", "ImplementationGuide", "NamingSystem", "OperationDefinition", "CapabilityStatement",
			"CompartmentDefinition", "StructureMap", "GraphDefinition", "MessageDefinition", "TerminologyCapabilities",
			"Subscription", "AuditEvent");
	private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z]+-[0-9]+\\.ndjson");

	private final FhirContext fhirContext;
	private final ExportJobStore store;
	private final ExportWorkers workers;
	private final ExportRunner runner;
	private final MatchUrlService matchUrlService;
	private final Duration retention;
	private final Duration retryAfter;
	private final List<String> patientCompartment;
	private final boolean securityEnabled;
	private final PatientVolumeLimit volumeLimit;

	BulkExportProvider(FhirContext fhirContext, ExportJobStore store, ExportWorkers workers, ExportRunner runner,
			MatchUrlService matchUrlService, Duration retention, Duration retryAfter, boolean securityEnabled,
			PatientVolumeLimit volumeLimit) {
		this.securityEnabled = securityEnabled;
		this.volumeLimit = volumeLimit;
		this.fhirContext = fhirContext;
		this.store = store;
		this.workers = workers;
		this.runner = runner;
		this.matchUrlService = matchUrlService;
		this.retention = retention;
		this.retryAfter = retryAfter;
		List<String> compartment = new ArrayList<>();
		compartment.add("Patient");
		for (String type : new java.util.TreeSet<>(fhirContext.getResourceTypes())) {
			if (!type.equals("Patient") && !fhirContext.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient").isEmpty()) {
				compartment.add(type);
			}
		}
		this.patientCompartment = List.copyOf(compartment);
	}

	@Operation(name = EXPORT, manualResponse = true, idempotent = true)
	public void exportSystem(
			@OperationParam(name = "_outputFormat", typeName = "string", min = 0, max = 1) IPrimitiveType<String> outputFormat,
			@OperationParam(name = "_type", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> types,
			@OperationParam(name = "_since", typeName = "instant", min = 0, max = 1) IPrimitiveType<Date> since,
			@OperationParam(name = "_typeFilter", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> typeFilters,
			@OperationParam(name = "_elements", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> elements,
			@OperationParam(name = "includeAssociatedData", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> associated,
			@OperationParam(name = "patient", typeName = "Reference", min = 0, max = OperationParam.MAX_UNLIMITED) List<IBaseReference> patients,
			@OperationParam(name = "_until", typeName = "instant", min = 0, max = 1) IPrimitiveType<Date> until,
			@OperationParam(name = "organizeOutputBy", typeName = "string", min = 0, max = 1) IPrimitiveType<String> organizeOutputBy,
			@OperationParam(name = "allowPartialManifests", typeName = "boolean", min = 0, max = 1) IPrimitiveType<Boolean> allowPartialManifests,
			ServletRequestDetails request) throws IOException {
		if (patients != null && !patients.isEmpty()) {
			throw new InvalidRequestException("The patient parameter belongs to Patient/$export and Group/[id]/$export, not to a system export");
		}
		kickOff(ExportRequest.Level.SYSTEM, null, outputFormat, types, since, until, organizeOutputBy, typeFilters, elements,
				associated, null, request);
	}

	@Operation(name = EXPORT, typeName = "Patient", manualResponse = true, idempotent = true)
	public void exportPatients(
			@OperationParam(name = "_outputFormat", typeName = "string", min = 0, max = 1) IPrimitiveType<String> outputFormat,
			@OperationParam(name = "_type", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> types,
			@OperationParam(name = "_since", typeName = "instant", min = 0, max = 1) IPrimitiveType<Date> since,
			@OperationParam(name = "_typeFilter", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> typeFilters,
			@OperationParam(name = "_elements", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> elements,
			@OperationParam(name = "includeAssociatedData", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> associated,
			@OperationParam(name = "patient", typeName = "Reference", min = 0, max = OperationParam.MAX_UNLIMITED) List<IBaseReference> patients,
			@OperationParam(name = "_until", typeName = "instant", min = 0, max = 1) IPrimitiveType<Date> until,
			@OperationParam(name = "organizeOutputBy", typeName = "string", min = 0, max = 1) IPrimitiveType<String> organizeOutputBy,
			@OperationParam(name = "allowPartialManifests", typeName = "boolean", min = 0, max = 1) IPrimitiveType<Boolean> allowPartialManifests,
			ServletRequestDetails request) throws IOException {
		kickOff(ExportRequest.Level.PATIENT, null, outputFormat, types, since, until, organizeOutputBy, typeFilters, elements,
				associated, patients, request);
	}

	@Operation(name = EXPORT, typeName = "Group", manualResponse = true, idempotent = true)
	public void exportGroup(
			@IdParam IdType groupId,
			@OperationParam(name = "_outputFormat", typeName = "string", min = 0, max = 1) IPrimitiveType<String> outputFormat,
			@OperationParam(name = "_type", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> types,
			@OperationParam(name = "_since", typeName = "instant", min = 0, max = 1) IPrimitiveType<Date> since,
			@OperationParam(name = "_typeFilter", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> typeFilters,
			@OperationParam(name = "_elements", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> elements,
			@OperationParam(name = "includeAssociatedData", typeName = "string", min = 0, max = OperationParam.MAX_UNLIMITED) List<IPrimitiveType<String>> associated,
			@OperationParam(name = "patient", typeName = "Reference", min = 0, max = OperationParam.MAX_UNLIMITED) List<IBaseReference> patients,
			@OperationParam(name = "_until", typeName = "instant", min = 0, max = 1) IPrimitiveType<Date> until,
			@OperationParam(name = "organizeOutputBy", typeName = "string", min = 0, max = 1) IPrimitiveType<String> organizeOutputBy,
			@OperationParam(name = "allowPartialManifests", typeName = "boolean", min = 0, max = 1) IPrimitiveType<Boolean> allowPartialManifests,
			ServletRequestDetails request) throws IOException {
		runner.groupMembers(groupId.getIdPart()); // 404 for an unknown Group, before anything is queued
		kickOff(ExportRequest.Level.GROUP, groupId.getIdPart(), outputFormat, types, since, until, organizeOutputBy, typeFilters,
				elements, associated, patients, request);
	}

	private void kickOff(ExportRequest.Level level, String groupId, IPrimitiveType<String> outputFormat,
			List<IPrimitiveType<String>> typeParams, IPrimitiveType<Date> sinceParam, IPrimitiveType<Date> untilParam,
			IPrimitiveType<String> organizeOutputBy, List<IPrimitiveType<String>> typeFilterParams,
			List<IPrimitiveType<String>> elementParams, List<IPrimitiveType<String>> associatedParams,
			List<IBaseReference> patientParams, ServletRequestDetails request) throws IOException {
		String prefer = request.getHeader("Prefer");
		if (prefer == null || !prefer.toLowerCase().contains("respond-async")) {
			throw new InvalidRequestException("Bulk export is asynchronous: send the header 'Prefer: respond-async'");
		}
		String accept = request.getHeader("Accept");
		if (!acceptsFhirJson(accept)) {
			// written here, not thrown: for Accept text/html HAPI would answer the error with an HTML page
			OperationOutcomes.write(fhirContext, request.getServletResponse(), 400, OperationOutcomes.error("not-supported",
					"Thiếu hoặc sai tiêu đề Accept / Bulk export kick-off needs 'Accept: application/fhir+json' (the format"
							+ " of its OperationOutcome; Bulk Data IG: the only one supported), not "
							+ (accept == null || accept.isBlank() ? "a missing Accept" : "'" + accept + "'")));
			return;
		}
		boolean lenient = lenient(prefer);
		List<String> warnings = new ArrayList<>();
		String organizeBy = organizeOutputBy(organizeOutputBy, lenient, warnings);
		if (outputFormat != null && outputFormat.getValue() != null && !NDJSON.contains(outputFormat.getValue().trim())) {
			throw new InvalidRequestException("Unsupported _outputFormat '" + outputFormat.getValue()
					+ "': only application/fhir+ndjson (or application/ndjson, ndjson) is offered");
		}
		Instant since = null;
		if (sinceParam != null && sinceParam.getValue() != null) {
			since = sinceParam.getValue().toInstant();
			if (since.isAfter(Instant.now())) {
				throw new InvalidRequestException("_since " + sinceParam.getValueAsString() + " is in the future");
			}
		}
		Instant until = untilParam == null || untilParam.getValue() == null ? null : untilParam.getValue().toInstant();
		if (until != null && since != null && until.isBefore(since)) {
			throw new InvalidRequestException("_until trước _since / _until " + untilParam.getValueAsString() + " is before _since " + sinceParam.getValueAsString());
		}
		AccessControlInterceptor.Access access = access(request);
		// security switched off (local demos, benchmarks): every type, no owner
		SmartScopes scopes = access == null ? SmartScopes.parse("system/*.rs") : access.token().scopes();
		String clientId = access == null ? null : access.clientId();

		// organised by patient, a system export holds the Patient compartment too: the blocks are the patients'
		boolean compartmentOnly = level != ExportRequest.Level.SYSTEM || organizeBy != null;
		List<String> candidates = compartmentOnly ? patientCompartment : allDataTypes();
		List<String> types = new ArrayList<>();
		List<String> asked = split(typeParams);
		if (asked.isEmpty() && (hasValue(typeParams) || request.getParameters().containsKey("_type"))) {
			throw new InvalidRequestException("Tham số _type rỗng / _type is empty: name at least one resource type, "
					+ "or leave _type out to export every type");
		}
		if (asked.isEmpty()) {
			requireReadOnEvery(candidates, scopes);
			types.addAll(candidates);
		} else {
			for (String type : new LinkedHashSet<>(asked)) {
				requireType(type);
				if (compartmentOnly && !patientCompartment.contains(type)) {
					String problem = "_type " + type + " is not in the Patient compartment, so a "
							+ (level == ExportRequest.Level.GROUP ? "Group" : level == ExportRequest.Level.PATIENT ? "Patient"
									: "system organizeOutputBy=Patient") + " export cannot include it";
					if (!lenient) {
						throw new InvalidRequestException(problem);
					}
					warnings.add("Bỏ qua / " + problem + "; left out (Prefer: handling=lenient)");
					continue;
				}
				if (!scopes.allows(type, 'r')) {
					throw Refusals.forbidden("Phạm vi truy cập không cho phép xuất " + type
							+ " / The token's scopes do not allow exporting " + type + ": it needs system/" + type + ".r",
							"system/" + type + ".r");
				}
				types.add(type);
			}
		}
		boolean provenance = false;
		for (String value : split(associatedParams)) {
			if (!PROVENANCE.contains(value)) {
				throw new InvalidRequestException("includeAssociatedData '" + value + "' is not supported; supported: " + PROVENANCE);
			}
			provenance = true;
		}
		if (provenance && !types.contains("Provenance") && scopes.allows("Provenance", 'r')) {
			types.add("Provenance");
		}
		if (types.isEmpty() && !warnings.isEmpty()) {
			throw new InvalidRequestException("Không còn loại tài nguyên nào để xuất / nothing left to export: " + String.join("; ", warnings));
		}
		if (types.isEmpty()) {
			throw Refusals.forbidden("Phạm vi truy cập không cho phép đọc loại nào của lần xuất này"
					+ " / The token's scopes allow reading none of the types this export would include", null);
		}

		Map<String, List<String>> typeFilters = typeFilters(typeFilterParams, types, lenient, warnings);
		List<String> elements = split(elementParams);
		List<String> patients = new ArrayList<>();
		if (patientParams != null) {
			for (IBaseReference reference : patientParams) {
				var id = reference.getReferenceElement();
				if (id == null || !"Patient".equals(id.getResourceType()) || !id.hasIdPart()) {
					throw new InvalidRequestException("patient must reference a Patient as Patient/[id], not '"
							+ (id == null ? null : id.getValue()) + "'");
				}
				patients.add(id.getIdPart());
			}
		}
		if (groupId != null && !patients.isEmpty()) {
			warnNonMembers(groupId, patients, warnings);
		}

		String base = request.getFhirServerBase();
		String query = request.getServletRequest().getQueryString();
		String requestUrl = request.getCompleteUrl() != null ? request.getCompleteUrl()
				: base + "/" + request.getRequestPath() + (query == null ? "" : "?" + query);
		ExportRequest export = new ExportRequest(level, groupId, types, since, until, typeFilters,
				elements.isEmpty() ? null : elements, patients, provenance, requestUrl, clientId, base,
				access == null ? null : access.facility(), access == null ? null : access.purpose(), List.copyOf(warnings),
				organizeBy);
		if (clientId != null) {
			// the daily distinct-patient limit (Official letter 6827/BYT-KCB): the export's patients are
			// counted for the client now, when the server agrees to hand them over, or the kick-off is 429
			volumeLimit.admitBulk(request, clientId, runner.patients(export));
		}
		String jobId = store.create(export);
		workers.wake();

		HttpServletResponse response = request.getServletResponse();
		response.setHeader("Content-Location", base + "/" + POLL + "?_jobId=" + jobId);
		OperationOutcome accepted = new OperationOutcome();
		accepted.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
				.setCode(OperationOutcome.IssueType.INFORMATIONAL)
				.setDiagnostics("Đã nhận yêu cầu xuất dữ liệu / export accepted: job " + jobId);
		for (String warning : warnings) {
			accepted.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
					.setCode(OperationOutcome.IssueType.NOTSUPPORTED).setDiagnostics(warning);
		}
		OperationOutcomes.write(fhirContext, response, 202, accepted);
	}

	@Operation(name = POLL, manualResponse = true, idempotent = true, deleteEnabled = true)
	public void pollStatus(
			@OperationParam(name = "_jobId", typeName = "string", min = 1, max = 1) IPrimitiveType<String> jobId,
			ServletRequestDetails request) throws IOException {
		ExportJobStore.Job job = ownedJob(jobId, request);
		HttpServletResponse response = request.getServletResponse();
		if (request.getRequestType() == RequestTypeEnum.DELETE) {
			store.cancel(job.id());
			workers.deleteFiles(job.id());
			OperationOutcome deleted = new OperationOutcome();
			deleted.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
					.setCode(OperationOutcome.IssueType.INFORMATIONAL)
					.setDiagnostics("Đã huỷ và xoá / export " + job.id() + " cancelled and its files deleted");
			OperationOutcomes.write(fhirContext, response, 202, deleted);
			return;
		}
		switch (job.status()) {
			case QUEUED, RUNNING -> {
				response.setHeader("X-Progress", job.progress() == null ? "in progress" : job.progress());
				response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
				response.setStatus(202);
			}
			case COMPLETED -> {
				Instant expires = job.finished().plus(retention);
				response.setHeader("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(expires.atOffset(ZoneOffset.UTC)));
				response.setStatus(200);
				response.setContentType("application/json;charset=UTF-8");
				response.setCharacterEncoding(StandardCharsets.UTF_8.name());
				response.getWriter().write(job.manifest());
				response.getWriter().flush();
			}
			case FAILED -> OperationOutcomes.write(fhirContext, response, 500, OperationOutcomes.error("exception",
					"Export " + job.id() + " failed: " + job.error()));
			default -> throw gone(job.id());
		}
	}

	@Operation(name = DOWNLOAD, manualResponse = true, idempotent = true)
	public void download(
			@OperationParam(name = "_jobId", typeName = "string", min = 1, max = 1) IPrimitiveType<String> jobId,
			@OperationParam(name = "_file", typeName = "string", min = 1, max = 1) IPrimitiveType<String> file,
			ServletRequestDetails request) throws IOException {
		ExportJobStore.Job job = ownedJob(jobId, request);
		String name = file.getValue();
		if (job.status() != ExportJobStore.Status.COMPLETED) {
			throw new ResourceNotFoundException("Export " + job.id() + " has no files to download (status " + job.status() + ")");
		}
		Path path = name == null || !FILE_NAME.matcher(name).matches() ? null : runner.jobDir(job.id()).resolve(name);
		if (path == null || !Files.isRegularFile(path)) {
			throw new ResourceNotFoundException("Export " + job.id() + " has no file '" + name + "'");
		}
		requireReadOnFile(request, job, name);
		HttpServletResponse response = request.getServletResponse();
		response.setStatus(200);
		response.setContentType("application/fhir+ndjson");
		response.setContentLengthLong(Files.size(path));
		try (OutputStream out = response.getOutputStream()) {
			Files.copy(path, out);
		}
	}

	private ExportJobStore.Job ownedJob(IPrimitiveType<String> jobId, ServletRequestDetails request) {
		String id = jobId == null ? null : jobId.getValue();
		ExportJobStore.Job job = id == null ? null : store.find(id).orElse(null);
		AccessControlInterceptor.Access access = access(request);
		String clientId = access == null ? null : access.clientId();
		if (job == null || job.gone() || !java.util.Objects.equals(job.request().clientId(), clientId)) {
			throw gone(id);
		}
		if (job.finished() != null && job.finished().plus(retention).isBefore(Instant.now())) {
			// past retention but not yet swept by the workers: expire it now
			workers.deleteFiles(job.id());
			store.expired(job.id());
			throw gone(id);
		}
		return job;
	}

	/**
	 * The token presented now must read what the file holds, whatever the token that started the
	 * export could: a file of one type needs read on that type; the deleted-resources file lists ids
	 * of every exported type, and a file of patient blocks holds them all, so those need read on each.
	 */
	private void requireReadOnFile(ServletRequestDetails request, ExportJobStore.Job job, String name) {
		AccessControlInterceptor.Access access = access(request);
		if (access == null) {
			return;
		}
		String prefix = name.substring(0, name.indexOf('-'));
		if (prefix.equals(NdjsonFiles.ERROR)) {
			return; // the job's own warnings: no resource data
		}
		List<String> types = prefix.equals(NdjsonFiles.DELETED) || prefix.equals(NdjsonFiles.BY_PATIENT)
				? job.request().types() : List.of(prefix);
		for (String type : types) {
			if (!access.token().scopes().allows(type, 'r')) {
				throw Refusals.forbidden("Phạm vi truy cập không cho phép đọc " + type
						+ " / The token's scopes do not allow reading " + type + ": downloading " + name
						+ " needs system/" + type + ".r", "system/" + type + ".r");
			}
		}
	}

	/**
	 * An export without _type holds every type it can (Bulk Data IG: all resource types the server
	 * supports), so it needs read on each of them — system/*.r — not only on the types the token has.
	 */
	private static void requireReadOnEvery(List<String> candidates, SmartScopes scopes) {
		List<String> missing = candidates.stream().filter(t -> !scopes.allows(t, 'r')).toList();
		if (!missing.isEmpty()) {
			throw Refusals.forbidden("Xuất dữ liệu không có _type cần quyền đọc mọi loại tài nguyên"
					+ " / An export without _type includes every type: it needs system/*.r (no read on "
					+ String.join(", ", missing.subList(0, Math.min(5, missing.size())))
					+ (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
					+ "); or name the types to export in _type", "system/*.r");
		}
	}

	/**
	 * _typeFilter by type (only for exported types), each checked now: an unknown search parameter is
	 * 400, or under Prefer: handling=lenient ignored with a warning (Bulk Data IG: a server may ignore
	 * what it does not support when the client asked for lenient handling).
	 */
	private Map<String, List<String>> typeFilters(List<IPrimitiveType<String>> typeFilterParams, List<String> types,
			boolean lenient, List<String> warnings) {
		Map<String, List<String>> typeFilters = new LinkedHashMap<>();
		for (IPrimitiveType<String> filter : typeFilterParams == null ? List.<IPrimitiveType<String>>of() : typeFilterParams) {
			String value = filter.getValue();
			int question = value == null ? -1 : value.indexOf('?');
			if (question <= 0) {
				throw new InvalidRequestException("_typeFilter must look like Type?search-parameters, not '" + value + "'");
			}
			String type = value.substring(0, question);
			requireType(type);
			String query = value.substring(question + 1);
			RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
			try {
				matchUrlService.translateMatchUrl(value, definition); // 400 now for an unknown search parameter
			} catch (InvalidRequestException e) {
				if (!lenient) {
					throw e;
				}
				warnings.add("Bỏ qua _typeFilter / _typeFilter " + value + " ignored (Prefer: handling=lenient): " + e.getMessage());
				continue;
			}
			if (types.contains(type)) {
				typeFilters.computeIfAbsent(type, t -> new ArrayList<>()).add(query);
			}
		}
		return typeFilters;
	}

	/**
	 * Bulk Data 3.0 organizeOutputBy: Patient is supported (null when absent). Another value is 400;
	 * under Prefer: handling=lenient the files are by type with a warning, as the IG allows.
	 */
	private static String organizeOutputBy(IPrimitiveType<String> param, boolean lenient, List<String> warnings) {
		String value = param == null || param.getValue() == null ? "" : param.getValue().trim();
		if (value.isEmpty() || value.equals(PatientBlocks.ORGANIZED_BY)) {
			return value.isEmpty() ? null : value;
		}
		String problem = "Không hỗ trợ organizeOutputBy=" + value + " / organizeOutputBy '" + value
				+ "' is not supported: the supported value is Patient (or leave it out for files by resource type)";
		if (!lenient) {
			throw new InvalidRequestException(problem);
		}
		warnings.add(problem + "; files are by resource type (Prefer: handling=lenient)");
		return null;
	}

	/** Patients a Group export names that are not its members are left out; the manifest says so. */
	private void warnNonMembers(String groupId, List<String> patients, List<String> warnings) {
		List<String> members = runner.groupMembers(groupId);
		for (String patient : patients) {
			if (!members.contains(patient)) {
				warnings.add("Patient/" + patient + " không thuộc nhóm / is not a member of Group/" + groupId + "; left out");
			}
		}
	}

	/**
	 * Bulk Data IG kick-off: "Accept: application/fhir+json" (the only format of its OperationOutcome).
	 * {@code *}{@code /*} is taken too (many HTTP clients send it by default); a missing Accept or any
	 * other media type is refused, as the Bulk Data tester expects.
	 */
	static boolean acceptsFhirJson(String accept) {
		if (accept == null) {
			return false;
		}
		for (String range : accept.split(",")) {
			String type = range.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
			if (type.equals("application/fhir+json") || type.equals("*/*")) {
				return true;
			}
		}
		return false;
	}

	/** RFC 7240 preferences of the Prefer header: handling=lenient asks to ignore what is not supported. */
	static boolean lenient(String prefer) {
		for (String preference : prefer.split("[,;]")) {
			if (preference.trim().replace(" ", "").equalsIgnoreCase("handling=lenient")) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasValue(List<IPrimitiveType<String>> values) {
		return values != null && !values.isEmpty();
	}

	private static ResourceNotFoundException gone(String id) {
		return new ResourceNotFoundException("No export job " + id + " (unknown, deleted, expired, or started by another client)");
	}

	/** Who asks; null only when security is switched off (with it on, no request gets here without a token). */
	private AccessControlInterceptor.Access access(ServletRequestDetails request) {
		var access = (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
		if (access == null && securityEnabled) {
			throw Refusals.forbidden("Xuất dữ liệu cần access token / Bulk export needs an access token", null);
		}
		return access;
	}

	private List<String> allDataTypes() {
		return new java.util.TreeSet<>(fhirContext.getResourceTypes()).stream().filter(t -> !NOT_DATA.contains(t)).toList();
	}

	private void requireType(String type) {
		if (!fhirContext.getResourceTypes().contains(type)) {
			throw new InvalidRequestException("Unknown resource type in _type or _typeFilter: '" + type + "'");
		}
	}

	private static List<String> split(List<IPrimitiveType<String>> values) {
		List<String> out = new ArrayList<>();
		if (values != null) {
			for (IPrimitiveType<String> value : values) {
				if (value.getValue() != null) {
					for (String one : value.getValue().split(",")) {
						if (!one.isBlank()) {
							out.add(one.trim());
						}
					}
				}
			}
		}
		return out;
	}

}
