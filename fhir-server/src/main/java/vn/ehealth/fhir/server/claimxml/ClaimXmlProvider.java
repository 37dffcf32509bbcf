package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/**
 * {@code POST /fhir/$import-claim-xml}: a facility's claim submission (the QĐ 4750/3176 envelope, or a
 * bare table set of one episode) stored as FHIR records, synchronously. Each episode is its own
 * transaction, so one bad episode does not stop the others; the answer is a batch-response Bundle with
 * one entry per episode: its transaction-response Bundle, or the OperationOutcome that refused it. The
 * transactions run through HAPI's DAO under the caller's request, so scopes (checked per entry, as for a
 * transaction of the same entries), profile enforcement and the audit trail apply as to any write.
 */
public class ClaimXmlProvider {

	static final String OPERATION = "$import-claim-xml";

	private final FhirContext fhirContext;
	private final IFhirSystemDao<Bundle, Meta> systemDao;
	private final ProfileEnforcingInterceptor validation;
	private final SubmissionReader reader;
	private final EpisodeMapper mapper;
	private final long maxBytes;

	ClaimXmlProvider(FhirContext fhirContext, IFhirSystemDao<Bundle, Meta> systemDao, ProfileEnforcingInterceptor validation,
			ExistingRecords existing, ClaimXmlSettings settings) {
		this.fhirContext = fhirContext;
		this.systemDao = systemDao;
		this.validation = validation;
		this.reader = new SubmissionReader(settings);
		this.mapper = new EpisodeMapper(existing);
		this.maxBytes = settings.maxEnvelopeSize().toBytes();
	}

	static boolean isClaimXml(HttpServletRequest request) {
		String path = request.getRequestURI();
		return "POST".equals(request.getMethod()) && path != null
				&& (path.endsWith("/" + OPERATION) || path.endsWith("/%24import-claim-xml"));
	}

	@Operation(name = OPERATION, manualRequest = true, idempotent = false)
	public Bundle importClaimXml(HttpServletRequest servletRequest, RequestDetails request) throws IOException {
		requireXml(servletRequest.getContentType());
		Submission submission = reader.read(body(servletRequest));
		List<Object> mapped = new ArrayList<>();
		for (Submission.Episode episode : submission.episodes()) {
			try {
				EpisodeMapper.Mapped episodeTransaction = mapper.map(submission.facility(), episode);
				// scopes of every episode before any is stored: a caller who may not write them all writes none
				AccessControlInterceptor.checkTransactionEntries(request, episodeTransaction.transaction());
				mapped.add(episodeTransaction);
			} catch (InvalidRequestException e) {
				mapped.add(new Refused(episode, e));
			}
		}
		Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
		for (Object episode : mapped) {
			Bundle.BundleEntryComponent entry = response.addEntry();
			if (episode instanceof Refused refused) {
				entry.getResponse().setStatus(String.valueOf(refused.error().getStatusCode()))
						.setOutcome(outcome(refused.error(), refused.episode()));
			} else {
				store((EpisodeMapper.Mapped) episode, request, entry);
			}
		}
		return response;
	}

	private record Refused(Submission.Episode episode, BaseServerResponseException error) {}

	/** Validates the episode's entries in one call (as a transaction is), then stores them as one transaction. */
	private void store(EpisodeMapper.Mapped episode, RequestDetails request, Bundle.BundleEntryComponent entry) {
		Bundle transaction = episode.transaction();
		Map<Integer, List<SingleValidationMessage>> invalid = validation.validateEntries(transaction, request);
		if (!invalid.isEmpty()) {
			List<SingleValidationMessage> errors = invalid.values().stream().flatMap(List::stream).toList();
			OperationOutcome outcome = (OperationOutcome) new ValidationResult(fhirContext, errors).toOperationOutcome();
			outcome.getIssue().add(0, issue(OperationOutcome.IssueSeverity.ERROR, episode.episode(),
					"không đạt hồ sơ (profile) của hướng dẫn, không lưu gì / does not conform to the guide's profiles: "
							+ errors.size() + " error(s), nothing was stored"));
			entry.getResponse().setStatus("422 Unprocessable Entity").setOutcome(outcome);
			return;
		}
		try {
			Bundle result = systemDao.transaction(request, transaction);
			OperationOutcome outcome = new OperationOutcome();
			outcome.addIssue(issue(OperationOutcome.IssueSeverity.INFORMATION, episode.episode(),
					"đã lưu / stored: " + result.getEntry().size() + " entries"));
			episode.notes().forEach(note -> outcome.addIssue(issue(OperationOutcome.IssueSeverity.WARNING, episode.episode(), note)));
			entry.setResource(result);
			entry.getResponse().setStatus("200 OK").setOutcome(outcome).setLocation(encounterLocation(result));
		} catch (BaseServerResponseException e) {
			entry.getResponse().setStatus(String.valueOf(e.getStatusCode()))
					.setOutcome(outcome(e, episode.episode()));
		}
	}

	private static String encounterLocation(Bundle result) {
		return result.getEntry().stream()
				.map(e -> e.getResponse().getLocation())
				.filter(location -> location != null && location.startsWith("Encounter/"))
				.findFirst().orElse(null);
	}

	private static OperationOutcome outcome(BaseServerResponseException error, Submission.Episode episode) {
		OperationOutcome outcome = error.getOperationOutcome() instanceof OperationOutcome given
				? given.copy()
				: OperationOutcomes.error("processing", error.getMessage());
		outcome.getIssue().add(0, issue(OperationOutcome.IssueSeverity.ERROR, episode,
				"bị từ chối, không lưu gì / refused, nothing was stored"));
		return outcome;
	}

	private static OperationOutcome.OperationOutcomeIssueComponent issue(
			OperationOutcome.IssueSeverity severity, Submission.Episode episode, String text) {
		return new OperationOutcome.OperationOutcomeIssueComponent()
				.setSeverity(severity)
				.setCode(severity == OperationOutcome.IssueSeverity.INFORMATION ? OperationOutcome.IssueType.INFORMATIONAL
						: severity == OperationOutcome.IssueSeverity.WARNING ? OperationOutcome.IssueType.INCOMPLETE
						: OperationOutcome.IssueType.PROCESSING)
				.setDiagnostics(episode.path() + " MA_LK " + episode.maLk() + ": " + text);
	}

	private static void requireXml(String contentType) {
		String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
		if (!type.equals("application/xml") && !type.equals("text/xml")) {
			throw ClaimXmlRefusals.refused(null, "Content-Type phải là application/xml (nhận được: " + contentType + ")",
					"Content-Type must be application/xml (got: " + contentType + ")");
		}
	}

	/** The body, read to one byte past the limit: a larger one is refused before it is parsed. */
	private byte[] body(HttpServletRequest servletRequest) throws IOException {
		try (InputStream in = servletRequest.getInputStream()) {
			return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
		}
	}
}
