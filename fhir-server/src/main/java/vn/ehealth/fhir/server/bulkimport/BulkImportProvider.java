package vn.ehealth.fhir.server.bulkimport;

import ca.uhn.fhir.batch2.jobs.imprt.ResourceOrderUtil;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Parameters;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * Bulk import, after the Bulk Data "ping and pull" import convention HAPI follows, plus uploads:
 * <ul>
 *   <li>{@code POST /fhir/$import} with a Parameters body ({@code inputFormat} application/fhir+ndjson,
 *       {@code input} repeating {@code type} + {@code url}): the server fetches each URL (only under
 *       {@code vietfhir.bulk-import.allowed-url-prefixes});
 *   <li>{@code POST /fhir/$import} with the NDJSON itself as the body (Content-Type
 *       application/fhir+ndjson), streamed to disk up to {@code vietfhir.bulk-import.max-upload-size};
 * </ul>
 * both answer 202 with the job's status URL in Content-Location. {@code GET} on it: 202 with
 * X-Progress and Retry-After while it runs, 200 with the manifest when done, the job's failure
 * status (400 when an input was at fault) if it failed; {@code DELETE} cancels (or deletes a finished
 * job), after which it answers 404. Only the client that started a job sees it.
 */
public class BulkImportProvider {

	static final String IMPORT = "$import";
	static final String POLL = "$import-poll-status";
	static final String ERRORS = "$import-errors";
	private static final String NDJSON = "application/fhir+ndjson";
	private static final List<String> NDJSON_TYPES = List.of(NDJSON, "application/ndjson", "application/x-ndjson");

	private final ImportJobStore store;
	private final ImportWorker worker;
	private final FhirContext fhirContext;
	private final BulkImportSettings settings;
	private final UrlAllowList allowList;
	private volatile List<String> typeOrder;

	BulkImportProvider(ImportJobStore store, ImportWorker worker, FhirContext fhirContext, BulkImportSettings settings) {
		this.store = store;
		this.worker = worker;
		this.fhirContext = fhirContext;
		this.settings = settings;
		this.allowList = new UrlAllowList(settings.allowedUrlPrefixes());
	}

	/** An NDJSON upload to $import (limited by vietfhir.bulk-import.max-upload-size, not the general request limit). */
	static boolean isUpload(HttpServletRequest request) {
		String path = request.getRequestURI();
		return "POST".equals(request.getMethod())
				&& path != null
				&& (path.endsWith("/" + IMPORT) || path.endsWith("/%24import"))
				&& isNdjson(request.getContentType());
	}

	static boolean isNdjson(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
		return NDJSON_TYPES.contains(type);
	}

	/** The FHIR base of a kick-off request URL. */
	static String base(String request) {
		int at = request.indexOf("/" + IMPORT);
		return at >= 0 ? request.substring(0, at) : request;
	}

	@Operation(name = IMPORT, manualRequest = true, manualResponse = true, idempotent = false)
	public void kickOff(ServletRequestDetails details, HttpServletRequest servletRequest, HttpServletResponse servletResponse)
			throws IOException {
		String contentType = servletRequest.getContentType();
		String id = UUID.randomUUID().toString();
		String request = details.getCompleteUrl();
		AccessControlInterceptor.Access access = access(details);
		ImportJob job;
		if (isNdjson(contentType)) {
			receiveUpload(servletRequest, id);
			job = new ImportJob(id, ImportJob.Status.QUEUED, true, worker.node(),
					access == null ? null : access.clientId(), access == null ? null : access.facility(),
					access == null ? null : access.purpose(), request, List.of(new ImportJob.Input(null, null)),
					Instant.now(), null, null, null, null, 0, null, null, null);
		} else if (contentType != null && (contentType.contains("json") || contentType.contains("xml"))) {
			List<ImportJob.Input> inputs = manifestInputs(servletRequest, contentType);
			job = new ImportJob(id, ImportJob.Status.QUEUED, false, null,
					access == null ? null : access.clientId(), access == null ? null : access.facility(),
					access == null ? null : access.purpose(), request, inputs,
					Instant.now(), null, null, null, null, 0, null, null, null);
		} else {
			throw new InvalidRequestException("$import takes either the NDJSON to import (Content-Type " + NDJSON
					+ ") or a Parameters resource listing its URLs (Content-Type application/fhir+json), not "
					+ (contentType == null ? "a body without Content-Type" : contentType));
		}
		try {
			store.create(job);
		} catch (RuntimeException e) {
			ImportWorker.deleteDir(worker.jobDir(id));
			throw e;
		}
		worker.nudge();
		String status = base(request) + "/" + POLL + "?_jobId=" + id;
		servletResponse.setHeader("Content-Location", status);
		OperationOutcomes.write(fhirContext, servletResponse, 202, OperationOutcomes.info(
				"Bulk import job " + id + " accepted; poll " + status + " for its status"
						+ " / Đã nhận yêu cầu nhập dữ liệu; theo dõi tại địa chỉ trên"));
	}

	/**
	 * Streams the body to the job's file. The request size filter holds it to the upload limit (a
	 * chunked body stops with 413 while it is read, and the file is removed).
	 */
	private void receiveUpload(HttpServletRequest servletRequest, String id) throws IOException {
		Path dir = worker.jobDir(id);
		Files.createDirectories(dir);
		Path file = dir.resolve("input-0.ndjson");
		boolean ok = false;
		try (InputStream in = servletRequest.getInputStream()) {
			long total = Files.copy(in, file);
			if (total == 0) {
				throw new InvalidRequestException("The NDJSON body is empty: nothing to import");
			}
			ok = true;
		} finally {
			if (!ok) {
				ImportWorker.deleteDir(dir);
			}
		}
	}

	private List<ImportJob.Input> manifestInputs(HttpServletRequest servletRequest, String contentType) throws IOException {
		String text;
		try (InputStream in = servletRequest.getInputStream()) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Parameters parameters;
		try {
			parameters = (contentType.contains("xml") ? fhirContext.newXmlParser() : fhirContext.newJsonParser())
					.parseResource(Parameters.class, text);
		} catch (DataFormatException | ClassCastException e) {
			throw new InvalidRequestException("The $import body is not a Parameters resource: " + e.getMessage());
		}
		String format = value(parameters.getParameter("inputFormat"));
		if (!NDJSON.equals(format)) {
			throw new InvalidRequestException("inputFormat must be " + NDJSON + (format == null ? " (it is missing)" : ", not " + format));
		}
		List<ImportJob.Input> inputs = new ArrayList<>();
		for (Parameters.ParametersParameterComponent input : parameters.getParameter()) {
			if (!input.getName().equals("input")) {
				continue;
			}
			String type = null;
			String url = null;
			for (Parameters.ParametersParameterComponent part : input.getPart()) {
				if (part.getName().equals("type")) {
					type = value(part);
				} else if (part.getName().equals("url")) {
					url = value(part);
				}
			}
			if (type == null || url == null) {
				throw new InvalidRequestException("Each input needs a type and a url");
			}
			if (!fhirContext.getResourceTypes().contains(type)) {
				throw new InvalidRequestException("Input type " + type + " is not a FHIR R4 resource type");
			}
			String refusal = allowList.refusal(url);
			if (refusal != null) {
				throw new InvalidRequestException("Input URL " + url + " is refused: " + refusal
						+ " / Địa chỉ không được phép nhập dữ liệu");
			}
			inputs.add(new ImportJob.Input(type, url));
		}
		if (inputs.isEmpty()) {
			throw new InvalidRequestException("The Parameters list no input (input.type + input.url)");
		}
		// referenced types first (Patient before Observation): fewer lines wait for a retry round
		List<String> order = typeOrder();
		inputs.sort(Comparator.comparingInt(i -> order.indexOf(i.type())));
		return inputs;
	}

	private List<String> typeOrder() {
		if (typeOrder == null) {
			typeOrder = ResourceOrderUtil.getResourceOrder(fhirContext);
		}
		return typeOrder;
	}

	private static String value(Parameters.ParametersParameterComponent parameter) {
		return parameter == null || parameter.getValue() == null ? null : parameter.getValue().primitiveValue();
	}

	@Operation(name = POLL, manualResponse = true, idempotent = true, deleteEnabled = true)
	public void poll(
			@OperationParam(name = "_jobId", typeName = "string", min = 0, max = 1) IPrimitiveType<String> jobId,
			ServletRequestDetails details)
			throws IOException {
		ImportJob job = ownJob(jobId, details);
		HttpServletResponse response = details.getServletResponse();
		if (details.getRequestType() == ca.uhn.fhir.rest.api.RequestTypeEnum.DELETE) {
			if (!store.cancel(job.id())) {
				throw gone(job);
			}
			if (job.status() == ImportJob.Status.QUEUED) {
				ImportWorker.deleteDir(worker.jobDir(job.id()));
			}
			OperationOutcomes.write(fhirContext, response, 202, OperationOutcomes.info(job.finished()
					? "Import job " + job.id() + " deleted / Đã xoá"
					: "Import job " + job.id() + " cancelled; what it stored so far stays stored / Đã huỷ"));
			return;
		}
		switch (job.status()) {
			case QUEUED, RUNNING -> {
				String progress = progress(job);
				response.setHeader(Constants.HEADER_X_PROGRESS, progress); // ASCII: header values must be
				response.setHeader(Constants.HEADER_RETRY_AFTER, "2");
				progress = (job.status() == ImportJob.Status.QUEUED ? "Đang chờ" : "Đang nhập") + " / " + progress;
				OperationOutcomes.write(fhirContext, response, 202, OperationOutcomes.info(progress));
			}
			case COMPLETED -> {
				response.setStatus(200);
				response.setContentType("application/json;charset=UTF-8");
				response.getWriter().write(job.manifest());
				response.getWriter().close();
			}
			case FAILED -> {
				OperationOutcomes.write(fhirContext, response, job.failureStatus() == null ? 500 : job.failureStatus(),
						"processing", "Import job " + job.id() + " failed: " + job.message());
			}
			case CANCELLED -> throw gone(job);
		}
	}

	@Operation(name = ERRORS, manualResponse = true, idempotent = true)
	public void errors(
			@OperationParam(name = "_jobId", typeName = "string", min = 0, max = 1) IPrimitiveType<String> jobId,
			ServletRequestDetails details)
			throws IOException {
		ImportJob job = ownJob(jobId, details);
		if (job.status() == ImportJob.Status.CANCELLED) {
			throw gone(job);
		}
		HttpServletResponse response = details.getServletResponse();
		response.setStatus(200);
		response.setContentType(NDJSON + ";charset=UTF-8");
		Writer writer = response.getWriter();
		store.forEachError(job.id(), error -> {
			try {
				writer.write(error.outcome());
				writer.write('\n');
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		writer.close();
	}

	private ImportJob ownJob(IPrimitiveType<String> jobId, ServletRequestDetails details) {
		if (jobId == null || jobId.getValue() == null || jobId.getValue().isBlank()) {
			throw new InvalidRequestException("_jobId is required");
		}
		ImportJob job = store.find(jobId.getValue()).orElse(null);
		AccessControlInterceptor.Access access = access(details);
		if (job == null || (access != null && job.clientId() != null && !job.clientId().equals(access.clientId()))) {
			// another client's job is not shown to exist
			throw new ResourceNotFoundException("No import job " + jobId.getValue() + " / Không có công việc nhập này");
		}
		return job;
	}

	private static ResourceNotFoundException gone(ImportJob job) {
		return new ResourceNotFoundException("Import job " + job.id() + " was cancelled or deleted / Công việc đã bị huỷ hoặc xoá");
	}

	/** The job's progress in English (for the X-Progress header, which must be ASCII). */
	private String progress(ImportJob job) {
		if (job.status() == ImportJob.Status.QUEUED) {
			return "queued" + (job.attempts() > 0 ? " again after an interruption" : "");
		}
		Checkpoint checkpoint = job.checkpoint();
		if (checkpoint == null) {
			return job.uploaded() ? "starting" : "fetching the inputs";
		}
		NumberFormat number = NumberFormat.getIntegerInstance(Locale.US);
		long percent = checkpoint.bytesTotal() == 0 ? 100 : Math.min(100, 100 * checkpoint.bytesDone() / checkpoint.bytesTotal());
		String phase = checkpoint.pass() < job.inputs().size()
				? percent + "% of " + number.format(checkpoint.bytesTotal()) + " bytes read"
				: "retrying lines that refer to resources imported after them";
		return "running: " + number.format(checkpoint.storedTotal()) + " resources stored, "
				+ number.format(store.errorCount(job.id())) + " lines with errors, " + phase;
	}

	private static AccessControlInterceptor.Access access(ServletRequestDetails details) {
		return (AccessControlInterceptor.Access) details.getUserData().get(AccessControlInterceptor.ACCESS);
	}

}
