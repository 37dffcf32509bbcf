package vn.ehealth.fhir.server.search;

import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.hibernate.search.mapper.orm.Search;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.server.storage.HapiTables.FullTextIndex;

/**
 * Keeps the local Lucene index in step with the database across crashes. A write is acknowledged
 * once PostgreSQL has committed it and the index has it in memory (read-sync); Lucene commits its
 * memory to disk only every second or so, so a killed JVM loses the index entries of its last
 * writes while the database keeps them. Every {@link #INTERVAL} this class commits the index
 * (Hibernate Search's {@code flush}) and then records, in a file beside the index, a time before
 * which every write is known to be in that commit. At start, the resources written or deleted after
 * the recorded time are indexed again ({@link FullTextIndexRebuild#catchUp}): before the server
 * takes requests when they are few, in the background otherwise. A clean stop records the time too,
 * so a normal restart re-indexes at most the last {@link #MARGIN} of writes. Writes cost nothing more.
 */
class FullTextIndexCheckpoint implements SmartInitializingSingleton, DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(FullTextIndexCheckpoint.class);
	static final String FILE = "vietfhir-indexed-until";
	static final Duration INTERVAL = Duration.ofSeconds(10);
	/**
	 * Allowance for a write that committed in PostgreSQL but reached the index a moment later, and
	 * for the clock of an external database (its transaction start times) against the server's
	 * (the resources' RES_UPDATED).
	 */
	static final Duration MARGIN = Duration.ofSeconds(30);
	/** Up to this many resources to catch up, the server waits for it before it takes requests. */
	static final long WAIT_FOR_AT_MOST = 20_000;
	/** Transactions still open may have written before "now": the time is the oldest one's start. */
	private static final String SAFE_TIME = "SELECT least(now(), min(xact_start)) FROM pg_stat_activity "
			+ "WHERE datname = current_database() AND backend_type = 'client backend'";

	private final Path file;
	private final JdbcTemplate jdbc;
	private final EntityManagerFactory entityManagerFactory;
	private final FullTextIndexRebuild rebuild;
	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread thread = new Thread(task, "vietfhir-index-checkpoint");
		thread.setDaemon(true);
		return thread;
	});

	FullTextIndexCheckpoint(
			Path indexDir, DataSource dataSource, EntityManagerFactory entityManagerFactory, FullTextIndexRebuild rebuild) {
		this.file = indexDir.resolve(FILE);
		this.jdbc = new JdbcTemplate(dataSource);
		this.entityManagerFactory = entityManagerFactory;
		this.rebuild = rebuild;
	}

	/** Every bean is built (Hibernate Search too) and the web server is not yet listening. */
	@Override
	public void afterSingletonsInstantiated() {
		catchUp(read());
		long period = INTERVAL.toMillis();
		scheduler.scheduleWithFixedDelay(this::recordQuietly, period, period, TimeUnit.MILLISECONDS);
	}

	private void catchUp(Instant since) {
		if (since == null && !indexBehindDatabase()) {
			return; // a new index, or one from before this record that has every resource
		}
		Long pending = since == null
				? jdbc.queryForObject(FullTextIndex.COUNT_CURRENT, Long.class)
				: jdbc.queryForObject(FullTextIndex.COUNT_CHANGED_SINCE, Long.class,
						Timestamp.from(since));
		if (pending == null || pending == 0) {
			return;
		}
		String from = since == null ? "(no record of the index's last commit)" : "since " + since;
		if (pending <= WAIT_FOR_AT_MOST) {
			LOG.info("Bringing the full-text index up to date: {} resources written {}", pending, from);
			FullTextIndexRebuild.Run run = rebuild.catchUp(since, false);
			LOG.info("Full-text index up to date: {}", run.toJson());
		} else {
			LOG.warn("Bringing the full-text index up to date in the background: {} resources written {}; "
					+ "_text/_content may miss them until it ends (GET /admin/search/reindex)", pending, from);
			rebuild.catchUp(since, true);
		}
	}

	/** Fewer documents in the index than current resources in the database. */
	private boolean indexBehindDatabase() {
		long inDatabase = jdbc.queryForObject(
				FullTextIndex.COUNT_CURRENT, Long.class);
		try (EntityManager entityManager = entityManagerFactory.createEntityManager()) {
			long inIndex = Search.session(entityManager).search(ResourceTable.class)
					.where(f -> f.matchAll())
					.fetchTotalHitCount();
			return inIndex < inDatabase;
		}
	}

	/** The recorded time, or null when there is none (a new index, or one from before this record). */
	Instant read() {
		return recordedTime(file);
	}

	/** The time recorded in this file, or null when it is missing or unreadable (a torn or foreign file). */
	static Instant recordedTime(Path file) {
		try {
			return Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
		} catch (IOException | DateTimeException e) {
			return null;
		}
	}

	/** Commits the index, then records a time before which every write is in that commit. */
	void record() throws IOException {
		FullTextIndexRebuild.Run last = rebuild.last();
		if (last != null && last.running() && last.since != null) {
			return; // a catch-up still running has not indexed what lies between its start and now
		}
		Instant safe = jdbc.queryForObject(SAFE_TIME, Timestamp.class).toInstant().minus(MARGIN);
		Search.mapping(entityManagerFactory).scope(ResourceTable.class).workspace().flush();
		Path written = file.resolveSibling(FILE + ".tmp");
		Files.writeString(written, safe.toString(), StandardCharsets.US_ASCII);
		Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private void recordQuietly() {
		try {
			record();
		} catch (Exception e) {
			// the previous record stays: a crash now costs a longer catch-up, not a lost entry
			LOG.warn("Could not record the full-text index's commit: {}", e.toString());
		}
	}

	/** Before Hibernate Search closes (it depends on it): the last record, so a restart has little to do. */
	@Override
	public void destroy() throws InterruptedException {
		scheduler.shutdownNow();
		scheduler.awaitTermination(10, TimeUnit.SECONDS);
		recordQuietly();
	}
}
