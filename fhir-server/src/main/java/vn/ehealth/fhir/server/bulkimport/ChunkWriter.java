package vn.ehealth.fhir.server.bulkimport;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.transaction.annotation.Propagation;

/**
 * Writes one chunk's transaction Bundle in a database transaction of its own, with the session set
 * for a bulk write: HAPI processes the Bundle as it processes a REST transaction (same storage hooks,
 * same pre-fetch of the PUT targets and reference targets), nested in that database transaction
 * ({@link IFhirSystemDao#transactionNested}), so that the chunk's inserts go to PostgreSQL in JDBC
 * batches as large as the chunk instead of the server-wide batch size made for small REST writes.
 * All or nothing: any failure rolls the whole chunk back.
 */
final class ChunkWriter {

	private final IHapiTransactionService transactions;
	private final IFhirSystemDao<Bundle, Meta> systemDao;
	/** Shared: bound to the database transaction open on the calling thread. */
	private final EntityManager entityManager;
	private final int jdbcBatchSize;

	ChunkWriter(IHapiTransactionService transactions, IFhirSystemDao<Bundle, Meta> systemDao, EntityManager entityManager,
			int jdbcBatchSize) {
		this.transactions = transactions;
		this.systemDao = systemDao;
		this.entityManager = entityManager;
		this.jdbcBatchSize = jdbcBatchSize;
	}

	/** Stores {@code transaction} (type transaction) in one new database transaction; its response Bundle. */
	Bundle write(RequestDetails request, Bundle transaction) {
		return transactions.withRequest(request).withPropagation(Propagation.REQUIRES_NEW).execute(() -> {
			// this session only: REST requests keep the server-wide size
			entityManager.unwrap(Session.class).setJdbcBatchSize(jdbcBatchSize);
			return systemDao.transactionNested(request, transaction);
		});
	}
}
