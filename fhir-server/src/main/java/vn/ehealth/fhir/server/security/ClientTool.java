package vn.ehealth.fhir.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a newcomer needs on the client side, from the command line (README "Security"):
 * <pre>
 * keygen &lt;name&gt;                       key pair: &lt;name&gt;.private.jwk.json (keep) and &lt;name&gt;.jwks.json (register)
 * token &lt;client-id&gt; &lt;private-jwk-file&gt; [server] [scope] [purpose]
 *                                     prints an access token from the server's token endpoint
 * sign &lt;bundle.json&gt; &lt;private-jwk-file&gt; &lt;Organization/id&gt;
 *                                     prints the transaction bundle with its Bundle.signature (README "Signed submissions")
 * server-keys &lt;dir&gt; [algorithm]          the server's token signing key and admin secret, made once and
 *                                     shared by every node of a cluster (vietfhir.security.keys-dir)
 * sync --source … --target …          one province → national sync run (see {@link vn.ehealth.fhir.server.sync.SyncTool})
 * </pre>
 */
public final class ClientTool {

	private ClientTool() {}

	public static void main(String[] args) throws Exception {
		if (args.length >= 2 && args[0].equals("keygen")) {
			keygen(args[1]);
		} else if (args.length >= 3 && args[0].equals("token")) {
			String server = args.length > 3 ? args[3] : "http://localhost:8080";
			String scope = args.length > 4 ? args[4] : "system/*.cruds";
			String purpose = args.length > 5 ? args[5] : null;
			System.out.println(token(args[1], JWK.parse(Files.readString(Path.of(args[2]))), server, scope, purpose));
		} else if (args.length >= 4 && args[0].equals("sign")) {
			System.out.println(vn.ehealth.fhir.server.signature.BundleSignatures.sign(
					Files.readString(Path.of(args[1]), StandardCharsets.UTF_8), JWK.parse(Files.readString(Path.of(args[2]))), args[3]));
		} else if (args.length >= 2 && args[0].equals("server-keys")) {
			// one keys directory for every node of a cluster (README "Scale-out")
			ServerKeys.loadOrCreate(Path.of(args[1]), args.length > 2 ? args[2] : "ES256", null);
			System.out.println("token signing key and admin secret: " + Path.of(args[1]).toAbsolutePath());
		} else if (args.length >= 1 && args[0].equals("sync")) {
			vn.ehealth.fhir.server.sync.SyncTool.main(args);
		} else {
			System.err.println("usage: keygen <name> | token <client-id> <private-jwk-file> [server] [scope] [purpose]"
					+ " | sign <bundle.json> <private-jwk-file> <Organization/id> | server-keys <dir> [algorithm]"
					+ " | sync --source <fhir base> --source-client <id> --source-key <file> --target <fhir base> --target-client <id> --target-key <file>");
			System.exit(2);
		}
	}

	private static void keygen(String name) throws IOException, JOSEException {
		JWK key = ServerKeys.generate(JWSAlgorithm.ES384);
		Path privateFile = Path.of(name + ".private.jwk.json");
		Files.writeString(privateFile, key.toJSONString());
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
		}
		Path publicFile = Path.of(name + ".jwks.json");
		Files.writeString(publicFile, new JWKSet(key.toPublicJWK()).toString(true));
		System.out.println("private key: " + privateFile.toAbsolutePath() + " (keep it secret)");
		System.out.println("public JWKS: " + publicFile.toAbsolutePath() + " (register it)");
	}

	/** A client assertion (private_key_jwt) for the token endpoint, signed ES384 or RS384 by the key. */
	public static String clientAssertion(String clientId, JWK key, String tokenEndpoint) throws JOSEException {
		JWSAlgorithm algorithm = key.getAlgorithm() != null
				? JWSAlgorithm.parse(key.getAlgorithm().getName())
				: key.getKeyType().getValue().equals("RSA") ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
		Instant now = Instant.now();
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				new JWTClaimsSet.Builder()
						.issuer(clientId)
						.subject(clientId)
						.audience(tokenEndpoint)
						.issueTime(Date.from(now))
						.expirationTime(Date.from(now.plusSeconds(240)))
						.jwtID(UUID.randomUUID().toString())
						.build());
		jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		return jwt.serialize();
	}

	private static String token(String clientId, JWK key, String server, String scope, String purpose) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String discovery = http.send(
						HttpRequest.newBuilder(URI.create(server + SmartConfigurationEndpoint.PATH)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
		String tokenEndpoint = JSONObjectUtils.getString(JSONObjectUtils.parse(discovery), "token_endpoint");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_assertion_type", ClientAssertions.ASSERTION_TYPE);
		form.put("client_assertion", clientAssertion(clientId, key, tokenEndpoint));
		form.put("scope", scope);
		if (purpose != null) {
			form.put("purpose_of_use", purpose);
		}
		String body = form.entrySet().stream()
				.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(tokenEndpoint))
						.header("Content-Type", "application/x-www-form-urlencoded")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			System.err.println("token endpoint answered " + response.statusCode() + ": " + response.body());
			System.exit(1);
		}
		return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
	}
}
