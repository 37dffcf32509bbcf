package vn.ehealth.fhir.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The client a benchmark acts as when it starts the server with security on: registered through
 * configuration ({@code vietfhir.security.bootstrap-clients}) with a key generated for the run, so
 * every request carries a real SMART Backend Services token and pays the real per-request cost.
 */
final class BenchClient {

	static final String CLIENT_ID = "vietfhir-benchmark";

	private BenchClient() {}

	static JWK newKey() {
		try {
			return new ECKeyGenerator(Curve.P_384).algorithm(JWSAlgorithm.ES384).keyID(UUID.randomUUID().toString()).generate();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Server arguments registering the client: every scope, the usual purposes, no daily patient limit (it reads everything). */
	static List<String> bootstrapArguments(Path dataDir, JWK key) {
		try {
			Path jwks = dataDir.resolve("benchmark-client.jwks.json");
			Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString(true));
			String client = "--vietfhir.security.bootstrap-clients[0].";
			return List.of(client + "client-id=" + CLIENT_ID, client + "name=VietFHIR benchmark", client + "jwks-file=" + jwks,
					client + "scopes=system/*.cruds", client + "purposes=TREAT,HOPERAT", client + "facility=Organization/benchmark",
					client + "daily-patient-limit=0");
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
