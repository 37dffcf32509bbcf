package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.persistence.EntityManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.transaction.annotation.Propagation;

/**
 * Stores one episode's transaction in a database transaction that first takes a lock on the episode
 * (facility's episode system and MA_LK, a PostgreSQL transaction-level advisory lock, so across nodes
 * too). An episode mapped as a first submission writes its rows as plain creates; if the same episode
 * was stored meanwhile (a facility's software re-sending on a timeout while the first is still being
 * stored), that is found under the lock and reported as a conflict, which the importer answers by
 * mapping the episode again as a correction: rows are never duplicated.
 */
final class EpisodeTransactions {

	private final IHapiTransactionService transactions;
	private final IFhirSystemDao<Bundle, Meta> systemDao;
	/** Shared: bound to the database transaction open on the calling thread. */
	private final EntityManager entityManager;
	private final ExistingRecords existing;

	EpisodeTransactions(IHapiTransactionService transactions, IFhirSystemDao<Bundle, Meta> systemDao, EntityManager entityManager,
			ExistingRecords existing) {
		this.transactions = transactions;
		this.systemDao = systemDao;
		this.entityManager = entityManager;
		this.existing = existing;
	}

	/** The transaction-response Bundle; a {@link ResourceVersionConflictException} when the episode must be mapped again. */
	Bundle store(RequestDetails request, EpisodeMapper.Mapped episode) {
		return transactions.withRequest(request).withPropagation(Propagation.REQUIRES_NEW).execute(() -> {
			entityManager.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1)) AS episode_lock")
					.setParameter(1, lockKey(episode.episodeSystem(), episode.episode().maLk()))
					.getSingleResult();
			if (!episode.onFile() && existing.id("Encounter", episode.episodeSystem(), episode.episode().maLk()).isPresent()) {
				throw new ResourceVersionConflictException("MA_LK " + episode.episode().maLk()
						+ " was stored by another request meanwhile: it is mapped again as a correction");
			}
			return systemDao.transactionNested(request, episode.transaction());
		});
	}

	/** 64 bits of SHA-256 over the episode's key: two episodes sharing a key merely wait for each other. */
	static long lockKey(String episodeSystem, String maLk) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
					.digest(("claim-xml-episode|" + episodeSystem + "|" + maLk).getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest).getLong();
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
