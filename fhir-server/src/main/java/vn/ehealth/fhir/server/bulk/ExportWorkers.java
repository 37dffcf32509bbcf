package vn.ehealth.fhir.server.bulk;

import vn.ehealth.fhir.server.observability.ServerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * This node's export workers: they claim queued jobs (or jobs whose node went silent) from the shared
 * table, at most {@code workers} at once, and run them; and they expire finished jobs past retention.
 * A kick-off on this node wakes them at once; other nodes' kick-offs are found by polling.
 */
class ExportWorkers implements SmartLifecycle, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ExportWorkers.class);

	private final ExportJobStore store;
	private final ExportRunner runner;
	private final Semaphore slots;
	private final Duration staleAfter;
	private final Duration pollInterval;
	private final Duration retention;
	/** Counted for /actuator/prometheus (package observability). */
	private final ServerMetrics metrics;
	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "bulk-export-scheduler"));
	private final java.util.concurrent.ExecutorService pool = Executors.newCachedThreadPool(r -> thread(r, "bulk-export-worker"));
	private volatile boolean running;

	ExportWorkers(ExportJobStore store, ExportRunner runner, int workers, Duration staleAfter, Duration pollInterval,
			Duration retention, ServerMetrics metrics) {
		this.metrics = metrics;
		this.store = store;
		this.runner = runner;
		this.slots = new Semaphore(Math.max(1, workers));
		this.staleAfter = staleAfter;
		this.pollInterval = pollInterval;
		this.retention = retention;
	}

	private static Thread thread(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public void start() {
		running = true;
		scheduler.scheduleWithFixedDelay(this::claimSafely, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
		scheduler.scheduleWithFixedDelay(this::expireSafely, 10, 60, TimeUnit.SECONDS);
	}

	@Override
	public void stop() {
		running = false;
		scheduler.shutdownNow();
		pool.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public void destroy() {
		stop();
	}

	/** Look for work now (called after a kick-off on this node). */
	void wake() {
		if (running) {
			scheduler.execute(this::claimSafely);
		}
	}

	void deleteFiles(String jobId) {
		NdjsonFiles.deleteTree(runner.jobDir(jobId));
	}

	private void claimSafely() {
		try {
			while (running && slots.tryAcquire()) {
				var job = store.claim(staleAfter);
				if (job.isEmpty()) {
					slots.release();
					return;
				}
				pool.execute(() -> {
					try {
						runJob(job.get());
					} finally {
						slots.release();
					}
				});
			}
		} catch (RuntimeException e) {
			log.warn("Could not look for export jobs: {}", e.getMessage());
		}
	}

	private void runJob(ExportJobStore.Job job) {
		long start = System.nanoTime();
		try {
			runner.run(job);
			log.info("Export {} completed in {} ms", job.id(), (System.nanoTime() - start) / 1_000_000);
		} catch (ExportRunner.Cancelled e) {
			deleteFiles(job.id());
		} catch (Exception e) {
			if (!running || Thread.currentThread().isInterrupted()) {
				// shutting down: leave the job RUNNING; its heartbeat stops and it is taken over later
				return;
			}
			log.warn("Export {} failed", job.id(), e);
			deleteFiles(job.id());
			store.failed(job.id(), e.getClass().getSimpleName() + ": " + e.getMessage());
			metrics.bulkJobEnded("export", "failed", 0);
		}
	}

	private void expireSafely() {
		try {
			for (String id : store.finishedBefore(Instant.now().minus(retention))) {
				deleteFiles(id);
				store.expired(id);
			}
		} catch (RuntimeException e) {
			log.warn("Could not expire old exports: {}", e.getMessage());
		}
	}
}
