package vn.ehealth.fhir.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own secrets, kept in the keys directory: the key pair that signs its access tokens
 * (generated at first start, so tokens stay valid across restarts) and the admin secret for
 * /admin/clients when none is configured. Files are readable by the server's user only.
 */
public final class ServerKeys {

	private static final Logger log = LoggerFactory.getLogger(ServerKeys.class);
	static final String SIGNING_KEY_FILE = "token-signing-key.jwk.json";
	public static final String ADMIN_SECRET_FILE = "admin-secret";

	private final JWK signingKey;
	private final String adminSecret;

	private ServerKeys(JWK signingKey, String adminSecret) {
		this.signingKey = signingKey;
		this.adminSecret = adminSecret;
	}

	public static ServerKeys loadOrCreate(Path dir, String algorithm, String configuredAdminSecret) {
		try {
			Files.createDirectories(dir);
			Path keyFile = dir.resolve(SIGNING_KEY_FILE);
			JWK key;
			if (Files.exists(keyFile)) {
				key = JWK.parse(Files.readString(keyFile));
			} else {
				key = generate(JWSAlgorithm.parse(algorithm));
				writePrivate(keyFile, key.toJSONString());
				log.info("Generated the token signing key {} ({})", keyFile, key.getAlgorithm());
			}
			String secret = configuredAdminSecret;
			if (secret == null || secret.isBlank()) {
				Path secretFile = dir.resolve(ADMIN_SECRET_FILE);
				if (!Files.exists(secretFile)) {
					byte[] random = new byte[32];
					new SecureRandom().nextBytes(random);
					writePrivate(secretFile, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
					log.info("Generated the admin secret for /admin/clients in {}", secretFile.toAbsolutePath());
				}
				secret = Files.readString(secretFile).trim();
			}
			return new ServerKeys(key, secret);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (ParseException | JOSEException e) {
			throw new IllegalStateException("Cannot load or create the token signing key in " + dir, e);
		}
	}

	public static JWK generate(JWSAlgorithm algorithm) throws JOSEException {
		String kid = java.util.UUID.randomUUID().toString();
		if (JWSAlgorithm.ES256.equals(algorithm)) {
			return new ECKeyGenerator(Curve.P_256).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).keyID(kid).generate();
		}
		if (JWSAlgorithm.ES384.equals(algorithm)) {
			return new ECKeyGenerator(Curve.P_384).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).keyID(kid).generate();
		}
		if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.RS384.equals(algorithm)) {
			return new RSAKeyGenerator(2048).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).keyID(kid).generate();
		}
		throw new IllegalArgumentException("vietfhir.security.token-algorithm must be ES256, ES384, RS256 or RS384, not " + algorithm);
	}

	private static void writePrivate(Path file, String content) throws IOException {
		Files.writeString(file, content, StandardCharsets.UTF_8);
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
	}

	JWSAlgorithm algorithm() {
		return JWSAlgorithm.parse(signingKey.getAlgorithm().getName());
	}

	String keyId() {
		return signingKey.getKeyID();
	}

	JWSSigner signer() {
		try {
			return new DefaultJWSSignerFactory().createJWSSigner(signingKey, algorithm());
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The public half, published at /.well-known/jwks.json. */
	JWKSet publicJwks() {
		return new JWKSet(signingKey.toPublicJWK());
	}

	String adminSecret() {
		return adminSecret;
	}
}
