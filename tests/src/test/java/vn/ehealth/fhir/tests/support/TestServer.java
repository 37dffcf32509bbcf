package vn.ehealth.fhir.tests.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import vn.ehealth.fhir.server.VietFhirApplication;

/**
 * The real VietFHIR server (embedded PostgreSQL, Lucene on disk) on a random port. Starting a HAPI
 * JPA context costs seconds, so the whole suite shares one instance: {@link #shared()}.
 */
public final class TestServer {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	/** A browser app's origin the suite's servers allow (CORS). */
	public static final String CORS_ORIGIN = "https://app.benhvien.example.vn";
	private static TestServer shared;

	private final Path dataDir;
	private final Map<String, Object> properties;
	private final ConfigurableApplicationContext context;
	private final int port;
	private final Tokens tokens;

	private TestServer(Path dataDir, Map<String, Object> properties) {
		this.dataDir = dataDir;
		this.properties = properties;
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("server.port", "0");
		all.put("vietfhir.data-dir", dataDir.toString());
		// small enough that the oversized-body test stays fast
		all.put("vietfhir.fhir.max-request-size", "2MB");
		all.put("logging.level.root", "WARN");
		// no graceful drain when the suite's JVM exits
		all.put("server.shutdown", "immediate");
		all.putAll(properties);
		// as command-line arguments, so they win over application.yaml
		String[] args = all.entrySet().stream()
				.map(e -> "--" + e.getKey() + "=" + e.getValue())
				.toArray(String[]::new);
		this.context = new SpringApplicationBuilder(VietFhirApplication.class).run(args);
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
		this.tokens = new Tokens(rootUrl(), Tokens.SUITE_CLIENT, Tokens.suiteKey());
	}

	/** The suite's server, started on first use and stopped when the JVM exits. */
	public static synchronized TestServer shared() {
		if (shared == null) {
			shared = start("vietfhir-test-", Map.of());
			Runtime.getRuntime().addShutdownHook(new Thread(TestServer::stopShared));
		}
		return shared;
	}

	/**
	 * Another server with its own data directory (and its own embedded PostgreSQL), configured like the
	 * suite's: the suite client is registered, so {@link #client()} and {@link #http()} work on it. Extra
	 * properties are added last, so they win. The caller stops it with {@link #stop()}. Data directories
	 * live under tests/target (gone with {@code mvn clean}) and are removed when their server stops: a
	 * server's database and index take hundreds of MB, and a suite run starts dozens.
	 */
	public static TestServer start(String dataDirPrefix, Map<String, Object> extraProperties) {
		try {
			Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-servers")), dataDirPrefix)
					.toAbsolutePath();
			Map<String, Object> properties = suiteProperties(dataDir);
			properties.putAll(extraProperties);
			return new TestServer(dataDir, properties);
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	static Map<String, Object> suiteProperties(Path dataDir) throws IOException {
		Path extraGuide = ExtraGuidePackage.write(dataDir);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vietfhir.validation.extra-packages[0]", extraGuide.toString());
		// the other modes, on types no other test writes
		properties.put("vietfhir.validation.modes.Practitioner", "warn");
		properties.put("vietfhir.validation.modes.Procedure", "off");
		// the suite's own client: every scope and purpose, its key generated here
		String client = "vietfhir.security.bootstrap-clients[0].";
		properties.put(client + "client-id", Tokens.SUITE_CLIENT);
		properties.put(client + "name", "VietFHIR test suite");
		properties.put(client + "jwks-file", Tokens.writeJwks(dataDir, "suite-client", Tokens.suiteKey()).toString());
		properties.put(client + "scopes", "system/*.cruds");
		properties.put(client + "purposes", "TREAT,ETREAT,HPAYMT,PUBHLTH,HRESCH,PATRQT,HOPERAT");
		properties.put(client + "facility", "Organization/test-facility");
		// it reads and exports every test's patients, the whole database's in a system $export: no daily limit
		properties.put(client + "daily-patient-limit", "0");
		// bulk export: a crashed node's job is taken over quickly
		properties.put("vietfhir.bulk-export.stale-after", "3s");
		// low, so a test reaches it with a few dozen records (EverythingAndLookupTest)
		properties.put("vietfhir.fhir.summary-max-per-type", "40");
		properties.put("vietfhir.bulk-export.poll-interval", "500ms");
		// HAPI's background jobs ($merge above its resource-limit) move on a step per maintenance pass
		properties.put("vietfhir.cluster.job-maintenance-interval", "2s");
		// an external OpenID Connect issuer, trusted through a JWKS file (no network in tests)
		properties.put("vietfhir.security.external-issuer", Tokens.EXTERNAL_ISSUER);
		properties.put("vietfhir.security.external-jwks-file",
				Tokens.writeJwks(dataDir, "external-issuer", Tokens.externalKey()).toString());
		// bulk import may fetch from the test JVM's file host, under /ndjson/ only; uploads up to 4 MB
		properties.put("vietfhir.bulk-import.allowed-url-prefixes[0]", NdjsonFileHost.shared().url(NdjsonFileHost.ALLOWED_PATH));
		properties.put("vietfhir.bulk-import.max-upload-size", "4MB");
		properties.put("vietfhir.fhir.cors.allowed-origins[0]", CORS_ORIGIN);
		// facility signatures on claim envelopes chain to the suite's CA, made in this JVM
		properties.put("vietfhir.claim-xml.signature.trusted-ca", SigningCertificates.writePem(dataDir, "claim-ca", SigningCertificates.suiteCa()).toString());
		return properties;
	}

	/** Stops this server and removes its data directory (for servers from {@link #start}; the shared one stops with the JVM). */
	public void stop() {
		close();
		deleteDataDir();
	}

	private void close() {
		if (context.isActive()) {
			context.close();
		}
	}

	private void deleteDataDir() {
		try {
			FileSystemUtils.deleteRecursively(dataDir);
		} catch (IOException e) {
			System.err.println("Could not remove the test server's data directory " + dataDir + ": " + e);
		}
	}

	/** Stops this server (from {@link #start}) and starts it again on its data directory, with some settings changed. */
	public TestServer restart(Map<String, Object> changedProperties) {
		close();
		Map<String, Object> properties = new LinkedHashMap<>(this.properties);
		properties.putAll(changedProperties);
		return new TestServer(dataDir, properties);
	}

	/** Stops the shared server and starts it again on the same data directory. */
	public static synchronized TestServer restartShared() {
		TestServer old = shared();
		old.context.close();
		shared = new TestServer(old.dataDir, old.properties);
		return shared;
	}

	private static synchronized void stopShared() {
		if (shared != null) {
			shared.stop();
		}
	}

	public static FhirContext fhirContext() {
		return FHIR;
	}

	public int port() {
		return port;
	}

	public String rootUrl() {
		return "http://localhost:" + port;
	}

	public String baseUrl() {
		return rootUrl() + "/fhir";
	}

	public ConfigurableApplicationContext context() {
		return context;
	}

	/** A FHIR client acting as the suite's client: every request carries a valid bearer token. */
	public IGenericClient client() {
		IGenericClient client = anonymousClient();
		client.registerInterceptor(new BearerTokens(tokens::token));
		return client;
	}

	/** A FHIR client that sends no token. */
	public IGenericClient anonymousClient() {
		FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
		FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
		return FHIR.newRestfulGenericClient(baseUrl());
	}

	/** Plain HTTP as the suite's client (bearer token added unless a request sets its own Authorization). */
	public Http http() {
		return new Http(rootUrl(), tokens::token);
	}

	/** Plain HTTP to this server with tokens from another source (e.g. another node of a cluster). */
	public Http http(Tokens tokenSource) {
		return new Http(rootUrl(), tokenSource::token);
	}

	/** Plain HTTP without a token. */
	public Http anonymousHttp() {
		return Http.anonymous(rootUrl());
	}

	public Path dataDir() {
		return dataDir;
	}

	/** The suite client's token source. */
	public Tokens tokens() {
		return tokens;
	}
}
