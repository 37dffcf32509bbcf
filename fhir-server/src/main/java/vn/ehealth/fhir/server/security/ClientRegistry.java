package vn.ehealth.fhir.server.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The registered clients and the client-assertion ids already used, in two tables of our own next to
 * HAPI's. Not FHIR resources on purpose: a token with {@code system/*.cruds} must not be able to
 * register itself a key or widen its own scopes through /fhir; only /admin/clients writes here.
 */
public class ClientRegistry {

	/** How long the token check trusts a looked-up client before asking the database again (disable takes effect within). */
	private static final Duration CACHE_TTL = Duration.ofSeconds(10);

	private final JdbcTemplate jdbc;
	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	private record Cached(Optional<RegisteredClient> client, Instant until) {}

	ClientRegistry(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/** Registers a new client; false if the id is taken. */
	boolean register(RegisteredClient client) {
		try {
			jdbc.update(
					"INSERT INTO vf_security_client (client_id, name, jwks, scopes, purposes, facility, enabled, registered_at, "
							+ "signature_required, daily_patient_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					client.clientId(), client.name(), client.jwks().toString(true),
					String.join(" ", client.scopes()), String.join(" ", client.purposes()),
					client.facility(), client.enabled(), Timestamp.from(Instant.now()),
					client.signatureRequired(), client.dailyPatientLimit());
		} catch (DuplicateKeyException e) {
			return false;
		}
		cache.remove(client.clientId());
		return true;
	}

	/** Registers or replaces a client (bootstrap clients from configuration). */
	void save(RegisteredClient client) {
		if (!register(client)) {
			jdbc.update(
					"UPDATE vf_security_client SET name = ?, jwks = ?, scopes = ?, purposes = ?, facility = ?, enabled = ?, "
							+ "signature_required = ?, daily_patient_limit = ? WHERE client_id = ?",
					client.name(), client.jwks().toString(true), String.join(" ", client.scopes()),
					String.join(" ", client.purposes()), client.facility(), client.enabled(),
					client.signatureRequired(), client.dailyPatientLimit(), client.clientId());
			cache.remove(client.clientId());
		}
	}

	Optional<RegisteredClient> find(String clientId) {
		List<RegisteredClient> found = jdbc.query("SELECT * FROM vf_security_client WHERE client_id = ?", this::row, clientId);
		return found.stream().findFirst();
	}

	/** {@link #find} with a short cache, for the check on every FHIR request. */
	public Optional<RegisteredClient> findCached(String clientId) {
		Instant now = Instant.now();
		Cached cached = cache.get(clientId);
		if (cached == null || cached.until().isBefore(now)) {
			cached = new Cached(find(clientId), now.plus(CACHE_TTL));
			cache.put(clientId, cached);
		}
		return cached.client();
	}

	List<RegisteredClient> list() {
		return jdbc.query("SELECT * FROM vf_security_client ORDER BY client_id", this::row);
	}

	/** False if there is no such client. */
	boolean setEnabled(String clientId, boolean enabled) {
		int changed = jdbc.update("UPDATE vf_security_client SET enabled = ? WHERE client_id = ?", enabled, clientId);
		cache.remove(clientId);
		return changed > 0;
	}

	/**
	 * Changes whether the client must sign its transactions and its daily patient limit (null = the
	 * server's default). False if there is no such client.
	 */
	boolean setSafeguards(String clientId, boolean signatureRequired, Integer dailyPatientLimit) {
		int changed = jdbc.update(
				"UPDATE vf_security_client SET signature_required = ?, daily_patient_limit = ? WHERE client_id = ?",
				signatureRequired, dailyPatientLimit, clientId);
		cache.remove(clientId);
		return changed > 0;
	}

	/**
	 * Records a client assertion's jti; false if this client has used it before (a replay). Expired
	 * ids are dropped: an assertion that old is refused for its exp anyway.
	 */
	boolean firstUseOfAssertion(String clientId, String jti, Instant expires) {
		jdbc.update("DELETE FROM vf_security_assertion_jti WHERE expires_at < ?", Timestamp.from(Instant.now().minus(Duration.ofMinutes(10))));
		return jdbc.update(
						"INSERT INTO vf_security_assertion_jti (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
						clientId, jti, Timestamp.from(expires))
				== 1;
	}

	private RegisteredClient row(ResultSet rs, int rowNum) throws SQLException {
		try {
			return new RegisteredClient(
					rs.getString("client_id"),
					rs.getString("name"),
					JWKSet.parse(rs.getString("jwks")),
					words(rs.getString("scopes")),
					words(rs.getString("purposes")),
					rs.getString("facility"),
					rs.getBoolean("enabled"),
					rs.getBoolean("signature_required"),
					(Integer) rs.getObject("daily_patient_limit"));
		} catch (ParseException e) {
			throw new SQLException("Stored JWKS of client " + rs.getString("client_id") + " does not parse", e);
		}
	}

	private static List<String> words(String text) {
		return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
	}
}
