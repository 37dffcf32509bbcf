package vn.ehealth.fhir.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.signature.JsonCanonicalForm;

/**
 * The audit trail's hash chain: hash = SHA-256(previous hash + canonical JSON of the record), the
 * first record's previous hash 64 zeros (Circular 38/2024: integrity, protection against forgery).
 * The expected hashes were computed apart from this code (Python hashlib), so an inspector can too.
 */
class AuditChainTest {

	@Test
	void theFirstRecordChainsFromSixtyFourZeros() {
		assertThat(AuditChain.GENESIS).hasSize(64).matches("0+");
		assertThat(AuditChain.hash(AuditChain.GENESIS, "{\"seq\":1}"))
				.isEqualTo("0a00898550374c41186879d92f30325cd0a550ce8c5da4d9aeef34a95c0b85ea");
	}

	@Test
	void eachRecordChainsFromTheHashBeforeItOverItsCanonicalUtf8Json() throws Exception {
		Map<String, Object> record = new TreeMap<>();
		record.put("seq", 2);
		record.put("agent_name", "Bệnh viện Bạch Mai");
		String first = AuditChain.hash(AuditChain.GENESIS, "{\"seq\":1}");
		assertThat(AuditChain.hash(first, JsonCanonicalForm.canonicalize(record)))
				.isEqualTo("f0cca4e2f5622fb474386d26356b572aec11898bd5ea4eed08802dc5e9407235");
	}

	/** A row changed, or one removed (the next then chains from another hash), no longer matches. */
	@Test
	void aChangedRecordOrAMissingPredecessorBreaksTheChain() {
		String first = AuditChain.hash(AuditChain.GENESIS, "{\"seq\":1}");
		String second = AuditChain.hash(first, "{\"seq\":2}");
		assertThat(AuditChain.hash(first, "{\"seq\":3}")).isNotEqualTo(second);
		assertThat(AuditChain.hash(AuditChain.GENESIS, "{\"seq\":2}")).isNotEqualTo(second);
	}
}
