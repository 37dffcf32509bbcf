package vn.ehealth.fhir.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.dao.BaseHapiFhirDao;
import ca.uhn.fhir.jpa.dao.IJpaStorageResourceParser;
import ca.uhn.fhir.jpa.entity.TermConcept;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.hibernate.search.mapper.orm.Search;
import org.hibernate.search.mapper.orm.work.SearchIndexingPlan;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.springframework.beans.factory.DisposableBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import vn.ehealth.fhir.server.storage.HapiTables.FullTextIndex;
import vn.ehealth.fhir.server.storage.SessionAdvisoryLock;

/**
 * Rebuilds the full-text index (Hibernate Search: _text, _content, terminology concepts) from the
 * database: after moving from local Lucene to an Elasticsearch/OpenSearch cluster, or when a
 * cluster lost its indexes. Each current resource is parsed from its stored version, its narrative
 * and text values are extracted as HAPI does on a write, and the entity is handed to the index, in
 * batches, one transaction per batch that changes nothing in the database. Terminology concepts
 * are persistent entities, re-indexed by Hibernate Search's mass indexer.
 *
 * <p>One rebuild at a time in the whole cluster: the run holds a PostgreSQL advisory lock, so a
 * second request on any node is refused while it lasts.
 */
class FullTextIndexRebuild implements DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(FullTextIndexRebuild.class);
	/** "VFINDEX" in ASCII. */
	static final long LOCK_KEY = 0x5646494E44455800L;
	private static final int BATCH = 200;

	private final DataSource dataSource;
	private final JdbcTemplate jdbc;
	private final EntityManagerFactory entityManagerFactory;
	private final EntityManager entityManager;
	private final TransactionTemplate transactions;
	private final IJpaStorageResourceParser resourceParser;
	private final FhirContext fhirContext;

	private volatile Run current;
	private volatile boolean closing;

	/** One run: what it was asked, how far it got. */
	static final class Run {
		final boolean purge;
		/** Only the resources written or deleted after this (a catch-up); null: every current resource. */
		final Instant since;
		final Instant started = Instant.now();
		final AtomicLong resources = new AtomicLong();
		final AtomicLong failed = new AtomicLong();
		volatile String state = "running";
		volatile Instant finished;
		volatile long concepts;
		volatile String error;

		Run(boolean purge, Instant since) {
			this.purge = purge;
			this.since = since;
		}

		boolean running() {
			return "running".equals(state);
		}

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("state", state);
			json.put("purge", purge);
			json.put("since", since == null ? null : since.toString());
			json.put("started", started.toString());
			json.put("finished", finished == null ? null : finished.toString());
			json.put("resources_indexed", resources.get());
			json.put("resources_failed", failed.get());
			json.put("concepts_indexed", concepts);
			json.put("error", error);
			return json;
		}
	}

	/** A request that cannot start now: another run holds the cluster-wide lock. */
	static class AlreadyRunning extends RuntimeException {
		AlreadyRunning(String message) {
			super(message);
		}
	}

	FullTextIndexRebuild(
			DataSource dataSource,
			EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager,
			IJpaStorageResourceParser resourceParser,
			FhirContext fhirContext) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.entityManagerFactory = entityManagerFactory;
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.transactions = new TransactionTemplate(transactionManager);
		this.resourceParser = resourceParser;
		this.fhirContext = fhirContext;
	}

	/** The last run on this node, or null. */
	Run last() {
		return current;
	}

	/** Whether a run holds the lock on some node (this one or another). */
	boolean runningAnywhere() {
		if (current != null && current.running()) {
			return true;
		}
		return !Boolean.TRUE.equals(jdbc.queryForObject(
				"SELECT pg_try_advisory_lock(?) AND pg_advisory_unlock(?)", Boolean.class, LOCK_KEY, LOCK_KEY));
	}

	/**
	 * Starts a rebuild in the background.
	 *
	 * @param purge empty the resource index first (searches miss what is not yet re-indexed while it runs)
	 */
	Run start(boolean purge) {
		return launch(new Run(purge, null), true);
	}

	/**
	 * Re-indexes the resources written or deleted after {@code since}: those a crash may have left out
	 * of a local index (see {@link FullTextIndexCheckpoint}). Terminology concepts are not included.
	 *
	 * @param background in a thread of its own; otherwise in this one, returning when done
	 */
	Run catchUp(Instant since, boolean background) {
		return launch(new Run(false, since), background);
	}

	private synchronized Run launch(Run run, boolean background) {
		if (current != null && current.running()) {
			throw new AlreadyRunning("A rebuild of the search index is already running on this node");
		}
		SessionAdvisoryLock lock;
		try {
			lock = SessionAdvisoryLock.tryAcquire(dataSource, LOCK_KEY);
		} catch (SQLException e) {
			throw new IllegalStateException("Could not take the rebuild lock: " + e.getMessage(), e);
		}
		if (lock == null) {
			throw new AlreadyRunning("A rebuild of the search index is already running on another node");
		}
		current = run;
		if (!background) {
			execute(run, lock);
			return run;
		}
		Thread worker = new Thread(() -> execute(run, lock), "vietfhir-search-reindex");
		worker.setDaemon(true);
		worker.start();
		return run;
	}

	private void execute(Run run, SessionAdvisoryLock lock) {
		LOG.info("Rebuilding the full-text index from the database (purge first: {}, resources changed since: {})",
				run.purge, run.since == null ? "any time" : run.since);
		try {
			if (run.purge) {
				Search.mapping(entityManagerFactory).scope(ResourceTable.class).workspace().purge();
			}
			long after = 0;
			while (!closing) {
				List<Long> ids = nextBatch(run, after);
				if (ids.isEmpty()) {
					break;
				}
				indexBatch(run, ids);
				after = ids.get(ids.size() - 1);
			}
			if (!closing && run.since == null) {
				Search.mapping(entityManagerFactory).scope(TermConcept.class).massIndexer()
						.threadsToLoadObjects(2)
						.batchSizeToLoadObjects(100)
						.startAndWait();
				run.concepts = jdbc.queryForObject(FullTextIndex.COUNT_CONCEPTS, Long.class);
			}
			run.state = closing ? "stopped" : run.failed.get() == 0 ? "completed" : "completed-with-errors";
			LOG.info("Full-text index rebuilt: {} resources ({} failed), {} concepts",
					run.resources.get(), run.failed.get(), run.concepts);
		} catch (Exception e) {
			run.error = e.toString();
			run.state = "failed";
			LOG.error("Rebuilding the full-text index failed", e);
			if (e instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
		} finally {
			run.finished = Instant.now();
			lock.close();
		}
	}

	private List<Long> nextBatch(Run run, long after) {
		if (run.since == null) {
			return jdbc.queryForList(FullTextIndex.CURRENT_IDS_AFTER, Long.class, after, BATCH);
		}
		// deleted ones too: their removal from the index may be what was lost
		return jdbc.queryForList(FullTextIndex.CHANGED_IDS_AFTER, Long.class, after, Timestamp.from(run.since), BATCH);
	}

	private void indexBatch(Run run, List<Long> ids) {
		try {
			transactions.executeWithoutResult(status -> {
				SearchIndexingPlan plan = Search.session(entityManager).indexingPlan();
				for (Long id : ids) {
					index(plan, id);
				}
			});
			run.resources.addAndGet(ids.size());
		} catch (RuntimeException batchFailure) {
			// one bad resource must not cost the batch: again one by one, counting the failures
			for (Long id : ids) {
				try {
					transactions.executeWithoutResult(status -> index(Search.session(entityManager).indexingPlan(), id));
					run.resources.incrementAndGet();
				} catch (RuntimeException e) {
					run.failed.incrementAndGet();
					if (run.error == null) {
						run.error = "resource " + id + ": " + e.getMessage();
					}
					LOG.warn("Could not re-index resource {}: {}", id, e.toString());
				}
			}
		}
	}

	/** What HAPI indexes on a write: the text values (_content), the narrative (_text), the link targets. */
	private void index(SearchIndexingPlan plan, Long id) {
		ResourceTable entity = entityManager.find(ResourceTable.class, JpaPid.fromId(id));
		if (entity == null) {
			return;
		}
		if (entity.getDeleted() != null) {
			plan.addOrUpdate(entity); // HAPI's routing bridge takes a deleted resource out of the index
			return;
		}
		IBaseResource resource = resourceParser.toResource(entity, false);
		entity.setContentText(BaseHapiFhirDao.parseContentTextIntoWords(fhirContext, resource));
		entity.setNarrativeText(narrativeText(resource));
		entity.preSave();
		plan.addOrUpdate(entity);
	}

	/** A resource's narrative as words: the text of its XHTML, a space between nodes. */
	static String narrativeText(IBaseResource resource) {
		if (!(resource instanceof DomainResource domain) || !domain.hasText() || domain.getText().getDiv() == null) {
			return null;
		}
		StringBuilder words = new StringBuilder();
		appendText(domain.getText().getDiv(), words);
		return words.toString();
	}

	private static void appendText(XhtmlNode node, StringBuilder words) {
		if (node.getNodeType() == NodeType.Text && node.getContent() != null) {
			words.append(node.getContent()).append(' ');
		}
		if (node.hasChildren()) {
			for (XhtmlNode child : node.getChildNodes()) {
				appendText(child, words);
			}
		}
	}

	/** A run still going when the server stops ends after its current batch. */
	@Override
	public void destroy() {
		closing = true;
	}
}
