package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/**
 * Episodes of a read submission into storage, one transaction each, for the synchronous answer and
 * for jobs alike: {@link #prepare} maps them and checks the caller's scopes on every entry (a caller
 * who may not write them all writes none), {@link #store} validates one episode's entries in one call
 * (as a transaction is) and stores them. The outcome of each is a batch-response entry.
 */
final class EpisodeImporter {

	/** Tries of an episode that meets a concurrent write of the same records (409) before it is reported. */
	private static final int CONFLICT_ATTEMPTS = 5;

	/** An episode mapped (its transaction) or refused (the 400 naming the place), with its submission's facility. */
	record Prepared(String facility, Submission.Episode episode, EpisodeMapper.Mapped mapped, BaseServerResponseException refused,
			EnvelopeSignature signature) {}

	private final FhirContext fhirContext;
	private final EpisodeTransactions transactions;
	private final ProfileEnforcingInterceptor validation;
	private final EpisodeMapper mapper;

	EpisodeImporter(FhirContext fhirContext, EpisodeTransactions transactions, ProfileEnforcingInterceptor validation,
			EpisodeMapper mapper) {
		this.fhirContext = fhirContext;
		this.transactions = transactions;
		this.validation = validation;
		this.mapper = mapper;
	}

	/** Maps each episode; a 403 (scopes) is thrown, for the whole submission, before anything is stored. */
	List<Prepared> prepare(Submission submission, RequestDetails request) {
		List<Prepared> prepared = new ArrayList<>();
		for (Submission.Episode episode : submission.episodes()) {
			try {
				EpisodeMapper.Mapped mapped = mapper.map(submission.facility(), episode);
				AccessControlInterceptor.checkTransactionEntries(request, mapped.transaction());
				prepared.add(new Prepared(submission.facility(), episode, mapped, null, submission.signature()));
			} catch (InvalidRequestException e) {
				prepared.add(new Prepared(submission.facility(), episode, null, e, submission.signature()));
			}
		}
		return prepared;
	}

	/** The episode's batch-response entry: its transaction-response Bundle, or the outcome that refused it. */
	Bundle.BundleEntryComponent store(Prepared prepared, RequestDetails request) {
		for (int attempt = 1; ; attempt++) {
			try {
				return storeOnce(prepared, request, attempt > 1);
			} catch (ResourceVersionConflictException conflict) {
				// another request stored the same citizen, facility or practitioner meanwhile (two facilities'
				// envelopes of one person at once are normal): map the episode again on what is stored now
				if (attempt == CONFLICT_ATTEMPTS) {
					Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
					entry.getResponse().setStatus(String.valueOf(conflict.getStatusCode())).setOutcome(outcome(conflict, prepared.episode()));
					return entry;
				}
			}
		}
	}

	/** One try; {@code again}: after a conflict, so the episode is mapped afresh on what is stored now. */
	private Bundle.BundleEntryComponent storeOnce(Prepared prepared, RequestDetails request, boolean again) {
		Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
		EpisodeMapper.Mapped episode;
		try {
			if (prepared.refused() != null) {
				throw prepared.refused();
			}
			episode = again ? mapper.map(prepared.facility(), prepared.episode()) : current(prepared);
		} catch (BaseServerResponseException refused) {
			entry.getResponse().setStatus(String.valueOf(refused.getStatusCode())).setOutcome(outcome(refused, prepared.episode()));
			return entry;
		}
		Bundle transaction = episode.transaction();
		EnvelopeSignatureProvenance.add(transaction, prepared.facility(), prepared.episode(), prepared.signature());
		Map<Integer, List<SingleValidationMessage>> invalid = validation.validateEntries(transaction, request);
		if (!invalid.isEmpty()) {
			List<SingleValidationMessage> errors = invalid.values().stream().flatMap(List::stream).toList();
			OperationOutcome outcome = (OperationOutcome) new ValidationResult(fhirContext, errors).toOperationOutcome();
			outcome.getIssue().add(0, issue(OperationOutcome.IssueSeverity.ERROR, episode.episode(),
					"không đạt hồ sơ (profile) của hướng dẫn, không lưu gì / does not conform to the guide's profiles: "
							+ errors.size() + " error(s), nothing was stored"));
			entry.getResponse().setStatus("422 Unprocessable Entity").setOutcome(outcome);
			return entry;
		}
		try {
			Bundle result = transactions.store(request, episode);
			OperationOutcome outcome = new OperationOutcome();
			outcome.addIssue(issue(OperationOutcome.IssueSeverity.INFORMATION, episode.episode(),
					"đã lưu / stored: " + result.getEntry().size() + " entries"));
			episode.notes().forEach(note -> outcome.addIssue(issue(OperationOutcome.IssueSeverity.WARNING, episode.episode(), note)));
			entry.setResource(result);
			entry.getResponse().setStatus("200 OK").setOutcome(outcome).setLocation(encounterLocation(result));
		} catch (ResourceVersionConflictException conflict) {
			throw conflict;
		} catch (BaseServerResponseException e) {
			entry.getResponse().setStatus(String.valueOf(e.getStatusCode())).setOutcome(outcome(e, episode.episode()));
		}
		return entry;
	}

	/**
	 * The episode's transaction as of now. One that creates a facility or practitioner not on file is
	 * mapped again: an earlier episode of the same submission may have created it meanwhile, and the
	 * conditional create must not meet it (HAPI's match runs under the caller's request, whose show
	 * filter may hide the record, and the create then collides with it). The scopes checked on the
	 * first mapping still hold: the second has the same rows and at most the same creates.
	 */
	private EpisodeMapper.Mapped current(Prepared prepared) {
		boolean createsDirectory = prepared.mapped().transaction().getEntry().stream().anyMatch(e -> e.getRequest().hasIfNoneExist());
		return createsDirectory ? mapper.map(prepared.facility(), prepared.episode()) : prepared.mapped();
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
}
