package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * {@code POST /fhir/$import-claim-xml}: a facility's claim submissions (the QĐ 4750/3176 envelope, a
 * bare table set of one episode, or a ZIP of envelopes) stored as FHIR records. Each episode is its own
 * transaction, so one bad episode does not stop the others. A small input is answered at once: a
 * batch-response Bundle with one entry per episode, its transaction-response Bundle or the
 * OperationOutcome that refused it. A large one ({@code sync-max-size}, {@code max-episodes}) or one
 * sent with {@code Prefer: respond-async} runs as a job, after the pattern of {@code $import}: 202 with
 * the status URL in Content-Location; {@code GET} on it 202 with X-Progress while it runs, 200 with the
 * manifest when done; {@code DELETE} cancels; the refused episodes at {@code $import-claim-xml-errors}.
 * The transactions run through HAPI's DAO under the caller's request (or, for a job, a request carrying
 * the caller's access), so scopes (checked per entry, as for a transaction of the same entries),
 * profile enforcement and the audit trail apply as to any write.
 */
public class ClaimXmlProvider {

	static final String OPERATION = "$import-claim-xml";
	static final String STATUS = "$import-claim-xml-status";
	static final String ERRORS = "$import-claim-xml-errors";

	private final FhirContext fhirContext;
	private final SubmissionReader reader;
	private final ZipEnvelopes zip;
	private final EpisodeImporter importer;
	private final ClaimXmlJobs jobs;
	private final ClaimXmlJobStore store;
	private final ClaimXmlSettings settings;

	ClaimXmlProvider(FhirContext fhirContext, SubmissionReader reader, ZipEnvelopes zip, EpisodeImporter importer,
			ClaimXmlJobs jobs, ClaimXmlJobStore store, ClaimXmlSettings settings) {
		this.fhirContext = fhirContext;
		this.reader = reader;
		this.zip = zip;
		this.importer = importer;
		this.jobs = jobs;
		this.store = store;
		this.settings = settings;
	}

	static boolean isClaimXml(HttpServletRequest request) {
		String path = request.getRequestURI();
		return "POST".equals(request.getMethod()) && path != null
				&& (path.endsWith("/" + OPERATION) || path.endsWith("/%24import-claim-xml"));
	}

	static boolean isClaimXmlZip(HttpServletRequest request) {
		return isClaimXml(request) && ZipEnvelopes.isZip(request.getContentType());
	}

	/** The FHIR base of a kick-off request URL. */
	static String base(String request) {
		int at = request.indexOf("/" + OPERATION);
		return at >= 0 ? request.substring(0, at) : request;
	}

	@Operation(name = OPERATION, manualRequest = true, manualResponse = true, idempotent = false)
	public void importClaimXml(ServletRequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse)
			throws IOException {
		boolean isZip = ZipEnvelopes.isZip(servletRequest.getContentType());
		if (!isZip) {
			requireXml(servletRequest.getContentType());
		}
		byte[] body = body(servletRequest, isZip ? settings.maxZipSize().toBytes() : settings.maxEnvelopeSize().toBytes());
		boolean async = body.length > settings.syncMaxSize().toBytes() || respondAsync(servletRequest);
		List<Submission> submissions = new ArrayList<>();
		int files;
		if (isZip) {
			// read whole before anything is stored: a hostile ZIP is refused here, with nothing of it stored
			files = zip.read(body, (name, content) -> {
				if (!async) {
					submissions.add(readFile(name, content));
				}
			});
		} else {
			files = 1;
			submissions.add(reader.read(body));
		}
		int episodes = submissions.stream().mapToInt(s -> s.episodes().size()).sum();
		if (async || episodes > settings.maxEpisodes()) {
			kickOff(request, servletResponse, new ClaimXmlJobs.Input(body, isZip, files, request.getCompleteUrl(), access(request)));
			return;
		}
		List<EpisodeImporter.Prepared> prepared = new ArrayList<>();
		submissions.forEach(submission -> prepared.addAll(importer.prepare(submission, request)));
		Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
		prepared.forEach(episode -> response.addEntry(importer.store(episode, request)));
		write(servletRequest, servletResponse, response);
	}

	/** One file of a ZIP; a problem of the file as a whole names it. */
	private Submission readFile(String name, byte[] content) {
		try {
			return reader.read(content, name + "/");
		} catch (InvalidRequestException e) {
			throw ClaimXmlRefusals.inFile(name, e);
		}
	}

	private void kickOff(ServletRequestDetails request, HttpServletResponse response, ClaimXmlJobs.Input input) throws IOException {
		String id = jobs.submit(input);
		String status = base(input.request()) + "/" + STATUS + "?_jobId=" + id;
		response.setHeader("Content-Location", status);
		OperationOutcomes.write(fhirContext, response, 202, OperationOutcomes.info("Claim XML job " + id + " accepted ("
				+ input.files() + " file(s)); poll " + status + " for its status / Đã nhận hồ sơ; theo dõi tại địa chỉ trên"));
	}

	@Operation(name = STATUS, manualResponse = true, idempotent = true, deleteEnabled = true)
	public void status(
			@OperationParam(name = "_jobId", typeName = "string", min = 0, max = 1) IPrimitiveType<String> jobId,
			ServletRequestDetails details)
			throws IOException {
		ClaimXmlJobStore.Job job = ownJob(jobId, details);
		HttpServletResponse response = details.getServletResponse();
		if (details.getRequestType() == RequestTypeEnum.DELETE) {
			if (!store.cancel(job.id())) {
				throw gone(job);
			}
			OperationOutcomes.write(fhirContext, response, 202, OperationOutcomes.info(job.status() == ClaimXmlJobStore.Status.RUNNING
					? "Claim XML job " + job.id() + " cancelled; the episodes stored so far stay stored / Đã huỷ"
					: "Claim XML job " + job.id() + " deleted / Đã xoá"));
			return;
		}
		switch (job.status()) {
			case RUNNING -> {
				String progress = ClaimXmlJobs.progress(job);
				response.setHeader(Constants.HEADER_X_PROGRESS, progress);
				response.setHeader(Constants.HEADER_RETRY_AFTER, "2");
				OperationOutcomes.write(fhirContext, response, 202, OperationOutcomes.info("Đang nhập / " + progress));
			}
			case COMPLETED -> {
				response.setStatus(200);
				response.setContentType("application/json;charset=UTF-8");
				response.getWriter().write(job.manifest());
				response.getWriter().close();
			}
			case FAILED -> OperationOutcomes.write(fhirContext, response, 500, "processing",
					"Claim XML job " + job.id() + " failed: " + job.message());
			case CANCELLED -> throw gone(job);
		}
	}

	@Operation(name = ERRORS, manualResponse = true, idempotent = true)
	public void errors(
			@OperationParam(name = "_jobId", typeName = "string", min = 0, max = 1) IPrimitiveType<String> jobId,
			ServletRequestDetails details)
			throws IOException {
		ClaimXmlJobStore.Job job = ownJob(jobId, details);
		if (job.status() == ClaimXmlJobStore.Status.CANCELLED) {
			throw gone(job);
		}
		HttpServletResponse response = details.getServletResponse();
		response.setStatus(200);
		response.setContentType("application/fhir+ndjson;charset=UTF-8");
		Writer writer = response.getWriter();
		store.forEachError(job.id(), outcome -> {
			try {
				writer.write(outcome);
				writer.write('\n');
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		writer.close();
	}

	private ClaimXmlJobStore.Job ownJob(IPrimitiveType<String> jobId, ServletRequestDetails details) {
		if (jobId == null || jobId.getValue() == null || jobId.getValue().isBlank()) {
			throw new InvalidRequestException("_jobId is required / Thiếu _jobId");
		}
		ClaimXmlJobStore.Job job = store.find(jobId.getValue()).orElse(null);
		AccessControlInterceptor.Access access = access(details);
		if (job == null || (access != null && job.clientId() != null && !job.clientId().equals(access.clientId()))) {
			// another client's job is not shown to exist
			throw new ResourceNotFoundException("Không có công việc nhập này / No claim XML job " + jobId.getValue());
		}
		return job;
	}

	private static ResourceNotFoundException gone(ClaimXmlJobStore.Job job) {
		return new ResourceNotFoundException("Công việc đã bị huỷ hoặc xoá / Claim XML job " + job.id() + " was cancelled or deleted");
	}

	private static AccessControlInterceptor.Access access(ServletRequestDetails details) {
		return (AccessControlInterceptor.Access) details.getUserData().get(AccessControlInterceptor.ACCESS);
	}

	private static boolean respondAsync(HttpServletRequest request) {
		String prefer = request.getHeader(Constants.HEADER_PREFER);
		return prefer != null && prefer.toLowerCase(Locale.ROOT).contains(Constants.HEADER_PREFER_RESPOND_ASYNC);
	}

	/** The batch-response, as JSON unless the caller asked for XML only. */
	private void write(HttpServletRequest request, HttpServletResponse response, Bundle bundle) throws IOException {
		String accept = request.getHeader(Constants.HEADER_ACCEPT);
		boolean xml = accept != null && accept.contains("xml") && !accept.contains("json");
		response.setStatus(200);
		response.setCharacterEncoding("UTF-8");
		response.setContentType((xml ? Constants.CT_FHIR_XML_NEW : Constants.CT_FHIR_JSON_NEW) + ";charset=UTF-8");
		(xml ? fhirContext.newXmlParser() : fhirContext.newJsonParser()).encodeResourceToWriter(bundle, response.getWriter());
		response.getWriter().flush();
	}

	private static void requireXml(String contentType) {
		String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
		if (!type.equals("application/xml") && !type.equals("text/xml")) {
			throw ClaimXmlRefusals.refused(null, "Content-Type phải là application/xml hoặc application/zip (nhận được: " + contentType + ")",
					"Content-Type must be application/xml or application/zip (got: " + contentType + ")");
		}
	}

	/** The body, read to one byte past the limit: a larger one is refused before it is parsed. */
	private byte[] body(HttpServletRequest servletRequest, long maxBytes) throws IOException {
		byte[] body;
		try (InputStream in = servletRequest.getInputStream()) {
			body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
		}
		if (body.length > maxBytes) {
			throw ClaimXmlRefusals.refused(null, "Hồ sơ quá lớn, tối đa " + maxBytes + " byte",
					"The submission is too large, at most " + maxBytes + " bytes");
		}
		return body;
	}
}
