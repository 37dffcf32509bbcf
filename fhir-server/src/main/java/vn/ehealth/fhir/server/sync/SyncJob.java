package vn.ehealth.fhir.server.sync;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import vn.ehealth.fhir.server.bulkimport.LocalImport;
import vn.ehealth.fhir.server.bulkimport.NdjsonImporter;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;

/**
 * The province → national sync as a job of this (the target) server: on a schedule (when
 * {@code vietfhir.sync.enabled}) or at an operator's request ({@code POST /admin/sync/run}),
 * pulls the source's changes since the stored high-water mark and imports them in process. One run
 * at a time across all nodes on the database (a lease in {@code vf_sync_state}, renewed while it runs).
 */
class SyncJob {

	private static final Logger log = LoggerFactory.getLogger(SyncJob.class);
	private static final Duration LEASE = Duration.ofMinutes(3);

	private final SyncSettings settings;
	private final SyncStateStore state;
	private final NdjsonImporter importer;
	private final FhirContext fhirContext;
	private final String node;
	private final Path workDir;
	private final AtomicBoolean running = new AtomicBoolean();
	private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
		Thread thread = new Thread(r, "province-sync");
		thread.setDaemon(true);
		return thread;
	});
	private ThreadPoolTaskScheduler scheduler;
	private volatile boolean stopping;

	SyncJob(SyncSettings settings, Path workDir, SyncStateStore state, NdjsonImporter importer, FhirContext fhirContext, String node) {
		this.settings = settings;
		this.state = state;
		this.importer = importer;
		this.fhirContext = fhirContext;
		this.node = node;
		this.workDir = workDir;
	}

	boolean configured() {
		return !settings.sourceBaseUrl().isBlank();
	}

	String source() {
		return BulkExportClient.stripSlash(settings.sourceBaseUrl());
	}

	boolean isRunning() {
		return running.get();
	}

	/** Starts the schedule, when enabled. */
	synchronized void start() {
		if (!settings.enabled()) {
			return;
		}
		if (!configured() || settings.clientId().isBlank() || settings.privateKeyFile() == null) {
			throw new IllegalStateException("vietfhir.sync.enabled needs source-base-url, client-id and private-key-file");
		}
		scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("province-sync-schedule-");
		scheduler.setDaemon(true);
		scheduler.initialize();
		if (!settings.cron().isBlank()) {
			scheduler.schedule(this::runNow, new CronTrigger(settings.cron()));
		} else {
			scheduler.scheduleWithFixedDelay(this::runNow, Instant.now().plus(settings.interval()), settings.interval());
		}
		log.info("Province sync from {} scheduled ({})", source(),
				settings.cron().isBlank() ? "every " + settings.interval() : "cron " + settings.cron());
	}

	synchronized void stop() {
		stopping = true;
		if (scheduler != null) {
			scheduler.shutdown();
		}
		runner.shutdownNow();
	}

	/** Starts a run in the background; false if one is already running on this node. */
	boolean trigger() {
		if (!configured() || !running.compareAndSet(false, true)) {
			return false;
		}
		runner.submit(this::runClaimed);
		return true;
	}

	/** A scheduled run, in the scheduler's thread; skipped while a run is in progress. */
	void runNow() {
		if (running.compareAndSet(false, true)) {
			runClaimed();
		}
	}

	/** One run (this node's running flag already set); skipped while another node holds the lease. */
	private void runClaimed() {
		String source = source();
		try {
			if (!state.lease(source, node, LEASE)) {
				log.info("Province sync from {} is running on another node; this run is skipped", source);
				return;
			}
			try {
				HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
				BackendServicesTokenClient token = BackendServicesTokenClient.discovering(http, source, settings.clientId(),
						BackendServicesTokenClient.readKey(settings.privateKeyFile()), settings.scope(), null);
				BulkExportClient client = new BulkExportClient(http, source, token, settings.maxPollInterval(),
						settings.timeout());
				Map<String, Object> audit = new LinkedHashMap<>();
				audit.put("client_id", "vietfhir-sync");
				audit.put("operation", "$sync");
				audit.put("request", "sync from " + source);
				ProvinceSync sync = new ProvinceSync(client, new LocalTarget(importer, workDir.resolve("import"), audit),
						settings.overlap(), fhirContext);
				Instant deadline = Instant.now().plus(settings.timeout());
				long[] renewed = {System.currentTimeMillis()};
				ProvinceSync.Result result = sync.run(state.highWaterMark(source).orElse(null), workDir.resolve("download"), () -> {
					if (stopping || Instant.now().isAfter(deadline)) {
						return false;
					}
					if (System.currentTimeMillis() - renewed[0] > 30_000) {
						renewed[0] = System.currentTimeMillis();
						return state.renew(source, node, LEASE);
					}
					return true;
				});
				state.completed(source, node, result);
			} catch (LocalImport.Stopped e) {
				state.failed(source, node, stopping ? "Stopped with the server; the next run repeats it"
						: "Stopped after " + settings.timeout() + " (vietfhir.sync.timeout); the next run repeats it");
			} catch (SyncFailure | BackendServicesTokenClient.Failure e) {
				log.warn("Province sync from {} failed: {}", source, e.getMessage());
				state.failed(source, node, e.getMessage());
			} catch (Exception e) {
				log.error("Province sync from {} failed", source, e);
				state.failed(source, node, e.toString());
			}
		} finally {
			running.set(false);
		}
	}
}
