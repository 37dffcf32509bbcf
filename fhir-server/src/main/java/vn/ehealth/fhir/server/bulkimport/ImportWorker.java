package vn.ehealth.fhir.server.bulkimport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import vn.ehealth.fhir.server.storage.DataDirectory;

/**
 * Runs $import jobs on this node: claims queued jobs from the shared table (one node per job),
 * fetches URL inputs, imports, saves a checkpoint per chunk, writes the manifest. A job this node
 * was running when it stopped is queued again at its next start and continues from its checkpoint;
 * a job whose node stopped reporting is taken over by another node (URL inputs) or waits for its
 * node (uploads, whose file is on that node's disk).
 */
public class ImportWorker {

	private static final Logger log = LoggerFactory.getLogger(ImportWorker.class);
	private static final long HOUSEKEEPING_MILLIS = 30_000;
	private static final java.util.regex.Pattern JOB_ID = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private final ImportJobStore store;
	private final NdjsonImporter importer;
	/** Counted for /actuator/prometheus (package observability). */
	@org.springframework.beans.factory.annotation.Autowired
	private vn.ehealth.fhir.server.observability.ServerMetrics metrics;
	private final BulkImportSettings settings;
	/** Checked again when a job runs: the allow-list may have been narrowed since the kick-off (restart). */
	private final UrlAllowList allowList;
	private final Path workDir;
	private final String node;
	private final InputFetcher fetcher;
	private final ObjectMapper json = new ObjectMapper();
	private final Object signal = new Object();
	private final List<Thread> threads = new ArrayList<>();
	private volatile boolean running;
	private long nextHousekeeping;

	ImportWorker(
			ImportJobStore store, NdjsonImporter importer, BulkImportSettings settings, DataDirectory dataDirectory) {
		this.store = store;
		this.importer = importer;
		this.settings = settings;
		this.workDir = dataDirectory.bulkImport(settings.workDir());
		this.fetcher = new InputFetcher(settings.maxUploadSize().toBytes());
		this.allowList = new UrlAllowList(settings.allowedUrlPrefixes());
		this.node = nodeId(workDir);
	}

	/** This node's id, kept in the work directory so that a restarted node finds its uploads again. */
	private static String nodeId(Path workDir) {
		try {
			Files.createDirectories(workDir);
			Path file = workDir.resolve("node-id");
			if (Files.exists(file)) {
				return Files.readString(file).trim();
			}
			String id = UUID.randomUUID().toString();
			Files.writeString(file, id);
			return id;
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot use the bulk import directory " + workDir, e);
		}
	}

	public String node() {
		return node;
	}

	Path jobDir(String jobId) {
		return workDir.resolve(jobId);
	}

	synchronized void start() {
		if (running) {
			return;
		}
		running = true;
		int resumed = store.requeueInterrupted(node,
				"Resumed after the server restarted; continuing from the last saved chunk / Tiếp tục sau khi máy chủ khởi động lại");
		if (resumed > 0) {
			log.info("{} interrupted import job(s) queued again", resumed);
		}
		for (int i = 0; i < Math.max(1, settings.workers()); i++) {
			Thread thread = new Thread(this::loop, "bulk-import-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
	}

	/** Stops taking jobs; a job in progress is queued again and continues from its checkpoint at the next start. */
	synchronized void stop() {
		if (!running) {
			return;
		}
		running = false;
		nudge();
		for (Thread thread : threads) {
			try {
				thread.join(15_000);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		threads.clear();
		try {
			store.requeueInterrupted(node, "Resumed after the server stopped; continuing from the last saved chunk"
					+ " / Tiếp tục sau khi máy chủ dừng");
		} catch (RuntimeException e) {
			log.warn("Could not queue this node's running import jobs again: {}", e.getMessage());
		}
	}

	/** A job was queued: look now rather than at the next poll. */
	void nudge() {
		synchronized (signal) {
			signal.notifyAll();
		}
	}

	private void loop() {
		while (running) {
			try {
				housekeeping();
				var job = store.claim(node);
				if (job.isPresent()) {
					process(job.get());
				} else {
					synchronized (signal) {
						signal.wait(2_000);
					}
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			} catch (RuntimeException e) {
				if (running) {
					log.warn("Bulk import worker: {}", e.toString());
					sleep();
				}
			}
		}
	}

	private void process(ImportJob job) {
		Path dir = jobDir(job.id());
		log.info("Import job {} started on node {} (attempt {})", job.id(), node, job.attempts());
		try {
			// kept from an earlier attempt, so a restarted job reports when it first started
			Instant transactionTime = job.transactionTime() != null ? job.transactionTime() : Instant.now();
			if (job.transactionTime() == null) {
				store.setTransactionTime(job.id(), transactionTime);
			}
			Checkpoint checkpoint = job.checkpoint();
			List<ImportRun.Source> sources = new ArrayList<>();
			if (job.uploaded()) {
				Path file = dir.resolve("input-0.ndjson");
				if (!Files.exists(file)) {
					store.fail(job.id(), node, 500, "The uploaded file of this job is no longer on its server node"
							+ " (its work directory was cleared); nothing more was imported. Upload the file again."
							+ " / Tệp tải lên không còn trên máy chủ; hãy tải lên lại.");
					return;
				}
				sources.add(new ImportRun.Source(file, null, "the uploaded file"));
			} else {
				boolean fetched = Files.exists(dir.resolve(".fetched"));
				if (!fetched) {
					if (checkpoint != null) {
						// the inputs are fetched anew (another node, or a cleared directory): they may differ
						store.resetProgress(job.id());
						checkpoint = null;
					}
					if (!fetchInputs(job, dir)) {
						return;
					}
				}
				for (int i = 0; i < job.inputs().size(); i++) {
					ImportJob.Input input = job.inputs().get(i);
					sources.add(new ImportRun.Source(dir.resolve("input-" + i + ".ndjson"), input.type(), input.url()));
				}
			}
			if (checkpoint == null) {
				long total = 0;
				for (ImportRun.Source source : sources) {
					total += Files.size(source.file());
				}
				checkpoint = Checkpoint.start(total);
			}
			Map<String, Object> audit = new LinkedHashMap<>();
			audit.put("client_id", job.clientId());
			audit.put("facility", job.facility());
			audit.put("purpose", job.purpose());
			audit.put("job", job.id());
			audit.put("request", "POST " + job.request());
			ImportRun run = new ImportRun(importer, sources, dir, audit, (saved, errors) -> {
				store.addErrors(job.id(), errors);
				// saved even when stopping: the next start continues after this chunk
				return store.checkpoint(job.id(), node, saved) && running;
			});
			Checkpoint end = run.run(checkpoint);
			if (end == null) {
				stopped(job.id(), dir);
				return;
			}
			long errors = store.errorCount(job.id());
			if (store.complete(job.id(), node, manifest(job, transactionTime, end, errors), null)) {
				log.info("Import job {} completed: {} resources stored, {} lines with errors", job.id(), end.storedTotal(), errors);
				metrics.bulkJobEnded("import", "completed", end.storedTotal());
			}
			deleteDir(dir);
		} catch (InputFetcher.InputProblem e) {
			store.fail(job.id(), node, 400, "An input could not be fetched / Không tải được dữ liệu đầu vào: " + e.getMessage());
			metrics.bulkJobEnded("import", "failed", 0);
			deleteDir(dir);
		} catch (IOException | RuntimeException e) {
			if (!running) {
				return; // stopping: the job is queued again and continues at the next start
			}
			log.error("Import job {} failed", job.id(), e);
			store.fail(job.id(), node, 500, "The import stopped on a server error / Lỗi máy chủ: " + e
					+ ". The resources stored before it stay stored; importing the same data again is safe.");
			metrics.bulkJobEnded("import", "failed", 0);
			deleteDir(dir);
		}
	}

	private boolean fetchInputs(ImportJob job, Path dir) throws IOException {
		Files.createDirectories(dir);
		for (int i = 0; i < job.inputs().size(); i++) {
			String url = job.inputs().get(i).url();
			String refusal = allowList.refusal(url);
			if (refusal != null) {
				// the allow-list may have been narrowed since the kick-off
				throw new InputFetcher.InputProblem(url + " is not accepted: " + refusal);
			}
			fetcher.fetch(url, null, dir.resolve("input-" + i + ".ndjson"), () -> running && store.heartbeat(job.id(), node));
			if (!store.heartbeat(job.id(), node)) {
				stopped(job.id(), dir);
				return false;
			}
		}
		Files.writeString(dir.resolve(".fetched"), Instant.now().toString());
		return true;
	}

	/** The run stopped before its end: cancelled (its files go), or this node is stopping (they stay). */
	private void stopped(String jobId, Path dir) {
		ImportJob now = store.find(jobId).orElse(null);
		if (now == null || now.status() == ImportJob.Status.CANCELLED) {
			log.info("Import job {} cancelled", jobId);
			deleteDir(dir);
		}
	}

	/**
	 * The completion manifest, in the shape of a Bulk Data export manifest: transactionTime, request,
	 * one output entry per resource type with its count, and the error file with its count; the
	 * inputs and the count of unchanged resources under {@code extension}.
	 */
	String manifest(ImportJob job, Instant transactionTime, Checkpoint end, long errors) {
		ObjectNode manifest = json.createObjectNode();
		manifest.put("transactionTime", transactionTime.toString());
		manifest.put("request", job.request());
		manifest.put("requiresAccessToken", true);
		ArrayNode output = manifest.putArray("output");
		end.stored().forEach((type, count) -> output.addObject().put("type", type).put("count", count));
		ArrayNode error = manifest.putArray("error");
		if (errors > 0) {
			error.addObject()
					.put("type", "OperationOutcome")
					.put("url", BulkImportProvider.base(job.request()) + "/" + BulkImportProvider.ERRORS + "?_jobId=" + job.id())
					.put("count", errors);
		}
		// ours, where the Bulk Data manifest keeps extensions: how many stored resources were there already
		// exactly so (importing the same data again gives all of them), and what was imported
		ObjectNode extension = manifest.putObject("extension");
		extension.put("unchanged", end.unchanged());
		ArrayNode inputs = extension.putArray("input");
		for (ImportJob.Input input : job.inputs()) {
			ObjectNode entry = inputs.addObject();
			if (input.type() != null) {
				entry.put("type", input.type());
			}
			entry.put("url", input.url() != null ? input.url() : "upload");
		}
		try {
			return json.writeValueAsString(manifest);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private synchronized void housekeeping() {
		long now = System.currentTimeMillis();
		if (now < nextHousekeeping) {
			return;
		}
		nextHousekeeping = now + HOUSEKEEPING_MILLIS;
		int stale = store.requeueStale(settings.staleAfter(),
				"Its server node stopped reporting; resumed / Máy chủ đang chạy công việc đã ngừng; tiếp tục lại");
		if (stale > 0) {
			log.warn("{} import job(s) of a node that stopped reporting queued again", stale);
		}
		store.deleteFinishedBefore(Instant.now().minus(settings.retention()));
		Set<String> active = Set.copyOf(store.activeIds());
		Instant old = Instant.now().minus(settings.staleAfter());
		try (Stream<Path> dirs = Files.list(workDir)) {
			dirs.filter(Files::isDirectory)
					.filter(d -> JOB_ID.matcher(d.getFileName().toString()).matches()) // not the sync's directory
					.filter(d -> !active.contains(d.getFileName().toString()))
					.filter(d -> modifiedBefore(d, old)) // an upload being received has no job row yet
					.forEach(ImportWorker::deleteDir);
		} catch (IOException e) {
			log.warn("Could not clean the bulk import directory: {}", e.getMessage());
		}
	}

	private static boolean modifiedBefore(Path path, Instant time) {
		try {
			return Files.getLastModifiedTime(path).toInstant().isBefore(time);
		} catch (IOException e) {
			return false;
		}
	}

	static void deleteDir(Path dir) {
		try {
			FileSystemUtils.deleteRecursively(dir);
		} catch (IOException e) {
			log.warn("Could not delete {}: {}", dir, e.getMessage());
		}
	}

	private void sleep() {
		try {
			Thread.sleep(2_000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
