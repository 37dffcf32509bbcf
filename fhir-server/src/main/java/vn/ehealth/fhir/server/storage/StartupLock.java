package vn.ehealth.fhir.server.storage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.Ordered;

/**
 * Nodes that share one PostgreSQL start one at a time. A node's start writes to the database: the
 * schema update ({@code hbm2ddl=update}), our own tables' migrations ({@link OwnTablesMigration}), the guide
 * package install, the bootstrap clients. Two nodes doing that at once (a Deployment of two replicas
 * on an empty database) collide on PostgreSQL's catalog or store the guide's conformance resources
 * twice. So the first thing done with the DataSource, before any other bean gets it, is to take a
 * session-level advisory lock; the lock is released when the context has refreshed (every
 * singleton built, every start-up installer run) or when the start fails.
 */
class StartupLock implements BeanPostProcessor, Ordered, ApplicationListener<ContextRefreshedEvent>, DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(StartupLock.class);
	/** "VFSTART" in ASCII; the audit chain's lock uses another key. */
	static final long LOCK_KEY = 0x5646535441525400L;
	/** Early among post-processors, so that the lock comes before anything else done with the DataSource. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	/** Read when the DataSource is post-processed, not when this post-processor is made: settings beans made that
	 * early are "not eligible for getting processed by all BeanPostProcessors" (a WARN each at start). */
	private final Supplier<Duration> timeout;
	private SessionAdvisoryLock held;
	private boolean done;

	StartupLock(Supplier<Duration> timeout) {
		this.timeout = timeout;
	}

	@Override
	public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && held == null && !done) {
			acquire(dataSource);
		}
		return bean;
	}

	private void acquire(DataSource dataSource) {
		long started = System.nanoTime();
		long deadline = started + timeout.get().toNanos();
		boolean logged = false;
		try {
			SessionAdvisoryLock lock;
			while ((lock = SessionAdvisoryLock.tryAcquire(dataSource, LOCK_KEY)) == null) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Another node has been starting on this database for more than "
							+ timeout.get() + " (vietfhir.cluster.startup-lock-timeout); not starting");
				}
				if (!logged) {
					LOG.info("Another node is starting on this database; waiting for it to finish");
					logged = true;
				}
				Thread.sleep(500);
			}
			held = lock;
			if (logged) {
				LOG.info("Waited {} ms for the other node's start", (System.nanoTime() - started) / 1_000_000);
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Could not take the start-up lock on the database: " + e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for another node's start", e);
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		release();
	}

	@Override
	public void destroy() {
		release();
	}

	private synchronized void release() {
		done = true;
		if (held == null) {
			return;
		}
		SessionAdvisoryLock lock = held;
		held = null;
		lock.close();
	}
}
