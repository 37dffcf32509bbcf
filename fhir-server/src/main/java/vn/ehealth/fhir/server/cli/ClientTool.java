package vn.ehealth.fhir.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;
import vn.ehealth.fhir.server.security.ServerKeys;
import vn.ehealth.fhir.server.signature.BundleSignatures;

/**
 * What a newcomer needs on the client side, from the command line (docs/security.md):
 * <pre>
 * keygen &lt;name&gt;                       key pair: &lt;name&gt;.private.jwk.json (keep) and &lt;name&gt;.jwks.json (register)
 * token &lt;client-id&gt; &lt;private-jwk-file&gt; [server] [scope] [purpose]
 *                                     prints an access token from the server's token endpoint
 * sign &lt;bundle.json&gt; &lt;private-jwk-file&gt; &lt;Organization/id&gt;
 *                                     prints the transaction bundle with its Bundle.signature (docs/signed-submissions.md)
 * server-keys &lt;dir&gt; [algorithm]          the server's token signing key and admin secret, made once and
 *                                     shared by every node of a cluster (vietfhir.security.keys-dir)
 * sync --source … --target …          one province → national sync run (see {@link SyncTool})
 * claim-xml --server … &lt;folder&gt;       a folder of claim XML files into $import-claim-xml (see {@link ClaimXmlTool})
 * </pre>
 * Run with {@code mvn -q -pl fhir-server -am compile exec:java -Dexec.args="…"} (the exec plugin's main class).
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
			System.out.println(token(args[1], Path.of(args[2]), server, scope, purpose));
		} else if (args.length >= 4 && args[0].equals("sign")) {
			System.out.println(BundleSignatures.sign(
					Files.readString(Path.of(args[1]), StandardCharsets.UTF_8), JWK.parse(Files.readString(Path.of(args[2]))), args[3]));
		} else if (args.length >= 2 && args[0].equals("server-keys")) {
			// one keys directory for every node of a cluster (docs/scale-out.md)
			ServerKeys.loadOrCreate(Path.of(args[1]), args.length > 2 ? args[2] : "ES256", null);
			System.out.println("token signing key and admin secret: " + Path.of(args[1]).toAbsolutePath());
		} else if (args.length >= 1 && args[0].equals("sync")) {
			SyncTool.main(args);
		} else if (args.length >= 1 && args[0].equals("claim-xml")) {
			ClaimXmlTool.main(args);
		} else {
			System.err.println("usage: keygen <name> | token <client-id> <private-jwk-file> [server] [scope] [purpose]"
					+ " | sign <bundle.json> <private-jwk-file> <Organization/id> | server-keys <dir> [algorithm]"
					+ " | claim-xml --server <fhir base> [--client <id> --key <file>] [--zip] <folder or file>..."
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

	/** SMART Backend Services: the token endpoint from the server's discovery document, a signed assertion posted to it. */
	private static String token(String clientId, Path keyFile, String server, String scope, String purpose) {
		try {
			return BackendServicesTokenClient.discovering(HttpClient.newHttpClient(), server, clientId,
					BackendServicesTokenClient.readKey(keyFile), scope, purpose).get();
		} catch (BackendServicesTokenClient.Failure e) {
			System.err.println(e.getMessage());
			System.exit(1);
			return null;
		}
	}
}
