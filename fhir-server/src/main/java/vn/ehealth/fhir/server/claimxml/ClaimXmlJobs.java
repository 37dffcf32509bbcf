package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import vn.ehealth.fhir.server.audit.AuditTrailInterceptor;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * Runs the claim XML inputs too large for a synchronous answer, one job at a time per node. The job row
 * and its body are in the database until the job ends: a restarted node resumes its jobs from the last
 * file finished (the file it was in is read again, which is safe as every episode replaces itself), and
 * a job whose node stopped reporting for {@code job-takeover-after} is taken over by another node. Any
 * node answers polls with {@code X-Progress} while it runs and the manifest (counts per type, the error
 * file) when it is done, as for {@code $import}. Episodes are stored under the scopes the caller had at
 * the kick-off, as in the synchronous answer, and recorded in the audit trail as background writes for
 * that caller.
 */
final class ClaimXmlJobs {

	private static final Logger log = LoggerFactory.getLogger(ClaimXmlJobs.class);

	private final ClaimXmlJobStore store;
	private final EpisodeImporter importer;
	private final SubmissionReader reader;
	private final ZipEnvelopes zip;
	private final FhirContext fhirContext;
	private final ObjectProvider<RestfulServer> restfulServer;
	private final AuditTrailInterceptor audit;
	private final String node;
	private final Duration retention;
	private final Duration takeoverAfter;
	private volatile boolean stopping;
	private final ObjectMapper json = new ObjectMapper();
	private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "claim-xml-job"));
	/** Looks for jobs other nodes stopped running. */
	private final ScheduledExecutorService watcher =
			Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "claim-xml-job-watch"));

	/** What a job needs from its kick-off request. */
	record Input(byte[] body, boolean zip, int files, String request, AccessControlInterceptor.Access access) {}

	ClaimXmlJobs(ClaimXmlJobStore store, EpisodeImporter importer, SubmissionReader reader, ZipEnvelopes zip,
			FhirContext fhirContext, ObjectProvider<RestfulServer> restfulServer, AuditTrailInterceptor audit, String node,
			Duration retention, Duration takeoverAfter) {
		this.store = store;
		this.importer = importer;
		this.reader = reader;
		this.zip = zip;
		this.fhirContext = fhirContext;
		this.restfulServer = restfulServer;
		this.audit = audit;
		this.node = node;
		this.retention = retention;
		this.takeoverAfter = takeoverAfter;
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	/** Resumes this node's jobs a stop interrupted, then watches for other nodes' abandoned ones. */
	void start() {
		queue(store.takeOver(node, true, takeoverAfter));
		long every = Math.max(1, takeoverAfter.toSeconds() / 2);
		watcher.scheduleWithFixedDelay(this::takeOverAbandoned, every, every, TimeUnit.SECONDS);
	}

	private void takeOverAbandoned() {
		try {
			queue(store.takeOver(node, false, takeoverAfter));
		} catch (RuntimeException e) {
			log.warn("Could not look for abandoned claim XML jobs: {}", e.getMessage());
		}
	}

	private void queue(List<String> ids) {
		if (!ids.isEmpty()) {
			log.info("Claim XML job(s) {} resumed on this node", ids);
		}
		ids.forEach(id -> executor.execute(() -> run(id)));
	}

	/** The job in hand stays running in the database: the next start (or another node) resumes it. */
	void stop() {
		stopping = true;
		watcher.shutdownNow();
		executor.shutdownNow();
	}

	/** Records the job with its body and queues it; its id. */
	String submit(Input input) {
		store.deleteFinishedBefore(Instant.now().minus(retention));
		String id = UUID.randomUUID().toString();
		store.create(id, node, input.access() == null ? null : input.access().clientId(), StoredAccess.write(input.access()),
				input.request(), input.files(), input.zip(), input.body());
		executor.execute(() -> run(id));
		return id;
	}

	private void run(String id) {
		Optional<ClaimXmlJobStore.Resume> resume = store.resume(id, node);
		if (resume.isEmpty()) {
			return; // cancelled, finished or taken over by another node while queued here
		}
		Run run = new Run(id, resume.get());
		try {
			ClaimXmlJobStore.Resume from = resume.get();
			store.dropErrorsAfter(id, from.errorsDone());
			if (from.zip()) {
				zip.read(from.body(), run::file);
			} else {
				run.file("", from.body());
			}
			store.finish(id, node, ClaimXmlJobStore.Status.COMPLETED, null, manifest(from.request(), id, run));
			log.info("Claim XML job {} completed: {} episodes stored, {} refused", id, run.stored, run.refused);
		} catch (Cancelled e) {
			log.info("Claim XML job {} cancelled, taken over by another node, or left for the next start", id);
		} catch (RuntimeException e) {
			if (stopping) {
				log.info("Claim XML job {} interrupted by the stop; the next start resumes it", id);
				return;
			}
			log.error("Claim XML job {} failed", id, e);
			store.finish(id, node, ClaimXmlJobStore.Status.FAILED, "Lỗi máy chủ / Server error: " + e
					+ ". Hồ sơ đã lưu vẫn được giữ; gửi lại là an toàn / The episodes stored before it stay stored; sending again is safe.", null);
		}
	}

	private static final class Cancelled extends RuntimeException {
		Cancelled() {
			super(null, null, false, false);
		}
	}

	/** One job's progress through its files, from where the last run left it. */
	private final class Run {
		final String id;
		final AccessControlInterceptor.Access access;
		final String request;
		final Instant started = Instant.now();
		final Map<String, Integer> types;
		final AtomicInteger errors;
		/** Files met in this run, including those skipped because an earlier run finished them. */
		int seen;
		int files;
		int stored;
		int refused;

		Run(String id, ClaimXmlJobStore.Resume from) {
			this.id = id;
			this.access = StoredAccess.read(from.access());
			this.request = from.request();
			this.types = readTypes(from.types());
			this.errors = new AtomicInteger(from.errorsDone());
			this.files = from.filesDone();
			this.stored = from.stored();
			this.refused = from.refused();
		}

		/** Reads one envelope and stores its episodes; a file that cannot be read is one error line. */
		void file(String name, byte[] content) {
			if (seen++ < files) {
				return; // finished by an earlier run of this job
			}
			String source = name.isEmpty() ? "" : name + "/";
			RequestDetails request = newRequest();
			try {
				Submission submission = reader.read(content, source);
				for (EpisodeImporter.Prepared episode : importer.prepare(submission, request)) {
					if (stopping || !store.heartbeat(id, node)) {
						throw new Cancelled();
					}
					Bundle.BundleEntryComponent entry = importer.store(episode, request);
					if (entry.getResponse().getStatus().startsWith("200")) {
						stored++;
						((Bundle) entry.getResource()).getEntry().forEach(e -> count(e.getResponse().getLocation()));
					} else {
						refused++;
						error((OperationOutcome) entry.getResponse().getOutcome());
					}
				}
				audit.recordBackground(request, ClaimXmlProvider.OPERATION, "U", auditContext());
			} catch (BaseServerResponseException e) {
				// the file as a whole: unreadable, or (403) the caller may not write what it holds
				error(fileOutcome(name, e));
			}
			files++;
			if (!store.progress(id, node, files, stored, refused, errors.get(), writeTypes(types))) {
				throw new Cancelled();
			}
		}

		private void count(String location) {
			if (location != null && location.contains("/")) {
				types.merge(location.substring(0, location.indexOf('/')), 1, Integer::sum);
			}
		}

		private void error(OperationOutcome outcome) {
			store.addError(id, errors.incrementAndGet(), fhirContext.newJsonParser().encodeResourceToString(outcome));
		}

		private Map<String, Object> auditContext() {
			Map<String, Object> context = new LinkedHashMap<>();
			context.put("client_id", access == null ? null : access.clientId());
			context.put("facility", access == null ? null : access.facility());
			context.put("purpose", access == null ? null : access.purpose());
			context.put("job", id);
			context.put("request", "POST " + request);
			return context;
		}

		/** A request as the REST server's interceptors know it, carrying the caller's access (scopes are checked on it). */
		private RequestDetails newRequest() {
			RestfulServer server = restfulServer.getObject();
			SystemRequestDetails request = new SystemRequestDetails(server.getInterceptorService());
			request.setServer(server);
			// each episode is a transaction, as in the synchronous answer (hooks that tell reads from writes look at this)
			request.setRestOperationType(ca.uhn.fhir.rest.api.RestOperationTypeEnum.TRANSACTION);
			if (access != null) {
				request.getUserData().put(AccessControlInterceptor.ACCESS, access);
			}
			audit.beginBackground(request);
			return request;
		}
	}

	private static OperationOutcome fileOutcome(String name, BaseServerResponseException e) {
		OperationOutcome outcome = e.getOperationOutcome() instanceof OperationOutcome given
				? given.copy()
				: OperationOutcomes.error("processing", e.getMessage());
		outcome.getIssue().add(0, OperationOutcomes.error("processing", (name.isEmpty() ? "" : name + ": ") + "HTTP "
				+ e.getStatusCode() + ", tệp không được nhập / the file was not imported").getIssueFirstRep());
		return outcome;
	}

	/** The completion manifest, in the shape of $import's (a Bulk Data manifest), with the episodes' counts under extension. */
	private String manifest(String request, String id, Run run) {
		ObjectNode manifest = json.createObjectNode();
		manifest.put("transactionTime", run.started.toString());
		manifest.put("request", request);
		manifest.put("requiresAccessToken", true);
		ArrayNode output = manifest.putArray("output");
		run.types.forEach((type, count) -> output.addObject().put("type", type).put("count", count));
		ArrayNode error = manifest.putArray("error");
		if (run.errors.get() > 0) {
			error.addObject().put("type", "OperationOutcome")
					.put("url", ClaimXmlProvider.base(request) + "/" + ClaimXmlProvider.ERRORS + "?_jobId=" + id)
					.put("count", run.errors.get());
		}
		ObjectNode extension = manifest.putObject("extension");
		extension.put("files", run.files);
		extension.put("episodesStored", run.stored);
		extension.put("episodesRefused", run.refused);
		return manifest.toString();
	}

	private Map<String, Integer> readTypes(String stored) {
		Map<String, Integer> types = new TreeMap<>();
		if (stored != null) {
			try {
				json.readTree(stored).fields().forEachRemaining(field -> types.put(field.getKey(), field.getValue().asInt()));
			} catch (java.io.IOException e) {
				throw new IllegalStateException("Unreadable counts of a claim XML job", e);
			}
		}
		return types;
	}

	private String writeTypes(Map<String, Integer> types) {
		ObjectNode node = json.createObjectNode();
		types.forEach(node::put);
		return node.toString();
	}

	/** The job's progress in English (the X-Progress header must be ASCII). */
	static String progress(ClaimXmlJobStore.Job job) {
		return "running: " + job.filesDone() + " of " + job.files() + " files read, " + job.episodesStored()
				+ " episodes stored, " + job.episodesRefused() + " refused";
	}
}
