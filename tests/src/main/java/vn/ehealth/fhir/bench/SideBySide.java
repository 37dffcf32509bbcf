package vn.ehealth.fhir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.bench.SideBySideServers.Server;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;
import vn.ehealth.fhir.server.security.ServerKeys;
import vn.ehealth.fhir.synth.LoadData;

/**
 * VietFHIR against the stock HAPI FHIR JPA starter, in one sitting on one PostgreSQL
 * (docs/stock-comparison.md): starts PostgreSQL with a database per server, the stock starter's
 * executable WAR (built by whoever runs this, never committed here) and our executable jar with
 * security off and on, as child processes, then alternates between them: ingest of the same data,
 * the search mix, {@code $everything} and system {@code $export}. Prints (and writes to
 * {@code --out}/side-by-side.md) a Markdown table of medians with the ratio ours ÷ stock.
 *
 * <pre>
 * mvn -B -q -pl tests -am package -DskipTests
 * mvn -B -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.SideBySide \
 *   -Dexec.args="--stock-war /work/stock/hapi-starter/target/ROOT.war --patients 30"
 * </pre>
 * Options: {@code --stock-war FILE} or {@code --stock-url BASE} (a stock server already running on
 * its own), {@code --ours-jar FILE} (default fhir-server/target/fhir-server-*-exec.jar),
 * {@code --patients N} (30), {@code --ingest-rounds R} (3: the patients are posted in R slices),
 * {@code --ingest-warm-up W} (0: before the slices, each server ingests W other patients, untimed),
 * {@code --encounters E} (10), {@code --seed S} (42), {@code --bundles DIR} (a directory of
 * transaction bundles instead, e.g. Synthea's fhir/), {@code --concurrency C} (2), {@code --rounds R}
 * (3), {@code --queries Q} (50), {@code --security both|off|on}, {@code --validation
 * enforce|warn|off} (ours; enforce), {@code --skip-export}, {@code --xmx} (4g), {@code --java},
 * {@code --stock-arg k=v} and {@code --ours-arg k=v} (repeatable), {@code --start-timeout} (minutes, 15),
 * {@code --parallel-start} (all servers start at once: less wall time, start times not comparable),
 * {@code --statements} (pg_stat_statements: each database's statements by executor time, after the
 * ingest and after the reads, in {@code statements-ingest.md} and {@code statements-reads.md}),
 * {@code --work DIR}, {@code --out DIR}.
 */
public final class SideBySide {

	static final String STOCK_DIALECT = "ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect";
	private static final String CLIENT_ID = "side-by-side";
	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** One server's measures over the sitting: per-round values, medians taken at the end. */
	private static final class Measures {
		final List<Double> ingestRates = new ArrayList<>();
		double ingestCpu;
		double ingestDbCpu;
		int ingestResources;
		int ingestErrors;
		String firstError;
		final Map<String, List<double[]>> latencies = new LinkedHashMap<>();
		final List<Double> exportRates = new ArrayList<>();
		final List<Double> exportCpu = new ArrayList<>();
		long exported;
	}

	private SideBySide() {}

	public static void main(String[] args) throws Exception {
		Map<String, List<String>> options = options(args);
		Path work = Path.of(option(options, "work", Files.createTempDirectory("vietfhir-side-by-side-").toString()));
		Path out = Path.of(option(options, "out", "target/side-by-side"));
		Files.createDirectories(work);
		Files.createDirectories(out);
		String security = option(options, "security", "both");
		List<Boolean> secured = switch (security) {
			case "both" -> List.of(false, true);
			case "off" -> List.of(false);
			case "on" -> List.of(true);
			default -> throw new IllegalArgumentException("--security both|off|on");
		};
		StringBuilder notes = new StringBuilder();
		String loadBefore = SideBySideServers.load();
		try (SideBySideServers processes = SideBySideServers.startPostgres(work.resolve("postgres"), 10 + 30 * secured.size() + 10,
				options.containsKey("statements"))) {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(processes)));
			notes.append(processes.describePostgres()).append('\n');
			// one at a time, so each start time is its own; --parallel-start saves wall time on a busy machine
			boolean parallel = options.containsKey("parallel-start");
			List<Server> launched = new ArrayList<>();
			launched.add(stock(options, processes, work));
			JWK key = ServerKeys.generate(JWSAlgorithm.ES384);
			for (boolean on : secured) {
				if (!parallel) {
					launched.set(launched.size() - 1, ready(processes, launched.get(launched.size() - 1), options));
				}
				launched.add(ours(options, processes, work, on, key));
			}
			Map<Server, Supplier<String>> tokens = new LinkedHashMap<>();
			for (Server server : launched) {
				Server ready = ready(processes, server, options);
				tokens.put(ready, database(true).equals(ready.database())
						? BackendServicesTokenClient.discovering(HTTP, ready.root(), CLIENT_ID, key, "system/*.cruds", null)
						: () -> null);
			}
			List<Server> servers = List.copyOf(tokens.keySet());
			Map<Server, Measures> measures = new LinkedHashMap<>();
			servers.forEach(s -> measures.put(s, new Measures()));
			String loadAfterStart = SideBySideServers.load();
			boolean statements = options.containsKey("statements");
			if (statements) {
				processes.resetStatements();
			}
			ingest(options, processes, servers, tokens, measures);
			String loadAfterIngest = SideBySideServers.load();
			if (statements) {
				writeStatements(processes, servers, out.resolve("statements-ingest.md"), "ingest");
			}
			measureReads(options, processes, servers, tokens, measures);
			if (statements) {
				writeStatements(processes, servers, out.resolve("statements-reads.md"), "searches and record reads");
			}
			String loadAfterReads = SideBySideServers.load();
			notes.append("load (uptime 1/5/15 min): before ").append(loadBefore).append(", servers up ").append(loadAfterStart)
					.append(", after ingest ").append(loadAfterIngest).append(", at the end ").append(loadAfterReads).append('\n');
			String table = table(servers, measures, notes, options);
			System.out.println(table);
			Files.writeString(out.resolve("side-by-side.md"), table, StandardCharsets.UTF_8);
			System.out.println("written: " + out.resolve("side-by-side.md") + "; server logs in " + work);
		}
	}

	/** The statements each server's database ran in the phase just ended (--statements), then counted afresh. */
	private static void writeStatements(SideBySideServers processes, List<Server> servers, Path file, String phase) throws Exception {
		List<String> databases = servers.stream().map(Server::database).filter(java.util.Objects::nonNull).toList();
		Files.writeString(file, "## Statements per database, " + phase + " (pg_stat_statements)\n"
				+ processes.topStatements(databases, 25), StandardCharsets.UTF_8);
		processes.resetStatements();
		System.out.println("written: " + file);
	}

	private static Server stock(Map<String, List<String>> options, SideBySideServers processes, Path work) throws Exception {
		if (options.containsKey("stock-url")) {
			return SideBySideServers.external("stock HAPI", option(options, "stock-url", null));
		}
		String war = option(options, "stock-war", null);
		if (war == null) {
			throw new IllegalArgumentException("--stock-war FILE (the starter's ROOT.war, see docs/stock-comparison.md) or --stock-url BASE");
		}
		processes.createDatabase("stock");
		int port = SideBySideServers.freePort();
		List<String> command = java(options, war);
		command.addAll(List.of("--server.port=" + port,
				"--spring.datasource.url=" + processes.jdbcUrl("stock"),
				"--spring.datasource.username=postgres",
				"--spring.datasource.password=",
				"--spring.datasource.driver-class-name=org.postgresql.Driver",
				"--spring.jpa.properties.hibernate.dialect=" + STOCK_DIALECT,
				"--hapi.fhir.bulk_export_enabled=true"));
		options.getOrDefault("stock-arg", List.of()).forEach(arg -> command.add("--" + arg));
		return processes.launch("stock HAPI", "stock", port, command, work.resolve("stock.log"));
	}

	private static Server ours(Map<String, List<String>> options, SideBySideServers processes, Path work, boolean secured, JWK key)
			throws Exception {
		String database = database(secured);
		processes.createDatabase(database);
		Path dataDir = Files.createDirectories(work.resolve(database));
		int port = SideBySideServers.freePort();
		List<String> command = java(options, oursJar(options));
		command.addAll(List.of("--server.port=" + port,
				"--vietfhir.data-dir=" + dataDir,
				"--vietfhir.database.mode=external",
				"--spring.datasource.url=" + processes.jdbcUrl(database),
				"--spring.datasource.username=postgres",
				"--spring.datasource.password=",
				"--vietfhir.validation.default-mode=" + option(options, "validation", "enforce"),
				"--vietfhir.security.enabled=" + secured));
		if (secured) {
			Path jwks = dataDir.resolve(CLIENT_ID + ".jwks.json");
			Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString(true));
			String client = "--vietfhir.security.bootstrap-clients[0].";
			command.addAll(List.of(client + "client-id=" + CLIENT_ID, client + "name=SideBySide", client + "jwks-file=" + jwks,
					client + "scopes=system/*.cruds", client + "purposes=TREAT", client + "facility=Organization/side-by-side",
					// every patient is read many times in a sitting: no daily limit for this client
					client + "daily-patient-limit=0",
					// a long ingest holds one token (IngestBenchmark takes a string); lifetime costs nothing per request
					"--vietfhir.security.token-lifetime=2h"));
		}
		options.getOrDefault("ours-arg", List.of()).forEach(arg -> command.add("--" + arg));
		String name = "VietFHIR (security " + (secured ? "on)" : "off)");
		return processes.launch(name, database, port, command, work.resolve(database + ".log"));
	}

	/** Our server's database (and data directory) name. */
	private static String database(boolean secured) {
		return secured ? "ours_on" : "ours_off";
	}

	/** The server once it answers /metadata (at once for one already ready or not started here). */
	private static Server ready(SideBySideServers processes, Server server, Map<String, List<String>> options) throws Exception {
		return server.process() == null || !Double.isNaN(server.readySeconds()) ? server
				: processes.awaitReady(server, startTimeout(options));
	}

	private static List<String> java(Map<String, List<String>> options, String jar) {
		String java = option(options, "java", ProcessHandle.current().info().command().orElse("java"));
		return new ArrayList<>(List.of(java, "-Xmx" + option(options, "xmx", "4g"), "-jar", jar));
	}

	private static String oursJar(Map<String, List<String>> options) throws Exception {
		String given = option(options, "ours-jar", null);
		if (given != null) {
			return given;
		}
		for (Path dir : List.of(Path.of("fhir-server/target"), Path.of("../fhir-server/target"))) {
			if (Files.isDirectory(dir)) {
				try (Stream<Path> files = Files.list(dir)) {
					var jar = files.filter(f -> f.getFileName().toString().matches("fhir-server-.*-exec\\.jar")).findFirst();
					if (jar.isPresent()) {
						return jar.get().toAbsolutePath().toString();
					}
				}
			}
		}
		throw new IllegalArgumentException("no fhir-server/target/fhir-server-*-exec.jar: run mvn -pl fhir-server -am package, or give --ours-jar");
	}

	/** The same data into each server, slice by slice, the order of the servers rotating each slice. */
	private static void ingest(Map<String, List<String>> options, SideBySideServers processes, List<Server> servers,
			Map<Server, Supplier<String>> tokens, Map<Server, Measures> measures) throws Exception {
		int concurrency = integer(options, "concurrency", 2);
		String bundles = option(options, "bundles", null);
		int patients = integer(options, "patients", 30);
		int rounds = bundles != null ? 1 : Math.max(1, Math.min(integer(options, "ingest-rounds", 3), patients));
		int warmUp = bundles != null ? 0 : integer(options, "ingest-warm-up", 0);
		if (warmUp > 0) {
			// other patients (numbered after the measured ones), untimed: each JVM compiles its write path
			// first, so the slices compare running servers rather than their JIT compilers
			for (Server server : servers) {
				IngestBenchmark.Result r = IngestBenchmark.run(server.base(), tokens.get(server).get(), warmUp, concurrency,
						seed(options), integer(options, "encounters", 10), patients);
				System.out.printf(Locale.ROOT, "ingest warm-up, %s: %d resources, %.0f/s, %d errors%n",
						server.name(), r.resources(), r.resourcesPerSecond(), r.errors());
			}
		}
		int first = 0;
		for (int round = 0; round < rounds; round++) {
			int slice = patients * (round + 1) / rounds - first;
			for (Server server : rotated(servers, round)) {
				Measures m = measures.get(server);
				double cpu0 = server.cpuSeconds();
				double db0 = processes.databaseCpuSeconds(server.database());
				int resources;
				int errors;
				double rate;
				String firstError;
				if (bundles != null) {
					LoadData.Result r = LoadData.loadSynthea(server.base(), tokens.get(server), Path.of(bundles), concurrency, null);
					resources = r.resources();
					errors = r.errors();
					rate = r.resourcesPerSecond();
					firstError = r.firstErrors().isEmpty() ? null : r.firstErrors().get(0);
				} else {
					IngestBenchmark.Result r = IngestBenchmark.run(server.base(), tokens.get(server).get(), slice, concurrency,
							seed(options), integer(options, "encounters", 10), first);
					resources = r.resources();
					errors = r.errors();
					rate = r.resourcesPerSecond();
					firstError = r.firstError();
				}
				m.ingestCpu += server.cpuSeconds() - cpu0;
				m.ingestDbCpu += processes.databaseCpuSeconds(server.database()) - db0;
				m.ingestRates.add(rate);
				m.ingestResources += resources;
				m.ingestErrors += errors;
				if (m.firstError == null) {
					m.firstError = firstError;
				}
				System.out.printf(Locale.ROOT, "ingest slice %d, %s: %d resources, %.0f/s, %d errors%n",
						round + 1, server.name(), resources, rate, errors);
			}
			first += slice;
		}
	}

	/** Rounds of the search mix, $everything and $export on each server in turn, after one warm-up pass. */
	private static void measureReads(Map<String, List<String>> options, SideBySideServers processes, List<Server> servers,
			Map<Server, Supplier<String>> tokens, Map<Server, Measures> measures) throws Exception {
		boolean synthetic = !options.containsKey("bundles");
		int patients = integer(options, "patients", 30);
		int queries = integer(options, "queries", 50);
		int rounds = integer(options, "rounds", 3);
		// Each round asks about other patients (as far as there are enough): stock HAPI answers an
		// identical search again from its cached results for 60 s, so repeating a round's calls
		// would time its cache, not its search. The warm-up takes the patients after the rounds'.
		int asked = synthetic ? Math.min(patients, queries * (rounds + 1)) : queries * (rounds + 1);
		List<String> identifiers = synthetic
				? syntheticIdentifiers(seed(options), patients, asked)
				: SideBySidePatients.sampleIdentifiers(servers.get(0).base(), tokens.get(servers.get(0)).get(), asked);
		Map<Server, List<String>> ids = new LinkedHashMap<>();
		for (Server server : servers) {
			ids.put(server, SideBySidePatients.ids(server.base(), tokens.get(server).get(), identifiers));
		}
		String types = synthetic ? ExportBenchmark.TYPES : typesIn(Path.of(option(options, "bundles", null)));
		for (int round = -1; round < rounds; round++) {
			boolean warmUp = round < 0; // JIT and caches, so the first measured server is not the cold one
			int first = (warmUp ? rounds : round) * queries;
			for (Server server : rotated(servers, Math.max(0, round))) {
				Measures m = measures.get(server);
				String token = tokens.get(server).get();
				Map<String, double[]> results = new LinkedHashMap<>();
				if (synthetic) {
					results.putAll(SearchBenchmark.run(server.base(), token, patients, first, warmUp ? 10 : queries, seed(options)));
				}
				results.putAll(SideBySidePatients.run(server.base(), token,
						slice(ids.get(server), first, warmUp ? 5 : queries), !synthetic));
				if (!warmUp) {
					results.forEach((query, p) -> m.latencies.computeIfAbsent(query, q -> new ArrayList<>()).add(p));
				}
				if (!options.containsKey("skip-export") && !warmUp) {
					double cpu0 = server.cpuSeconds();
					ExportBenchmark.Run export = ExportBenchmark.export(server.base(), tokens.get(server).get(), "?_type=" + types);
					m.exportCpu.add(server.cpuSeconds() - cpu0);
					m.exportRates.add(export.perSecond());
					m.exported = export.resources();
					System.out.printf(Locale.ROOT, "export round %d, %s: %d resources in %.1f s%n",
							round + 1, server.name(), export.resources(), export.seconds());
				}
			}
			System.out.println(warmUp ? "warm-up done" : "round " + (round + 1) + " done");
		}
	}

	/** {@code count} of the list from {@code first} on, wrapping round when the list is shorter. */
	private static List<String> slice(List<String> list, int first, int count) {
		List<String> slice = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			slice.add(list.get((first + i) % list.size()));
		}
		return slice;
	}

	private static List<String> syntheticIdentifiers(long seed, int patients, int count) {
		SyntheticPatients generator = new SyntheticPatients(seed);
		List<String> identifiers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Patient patient = generator.patient(i % patients);
			identifiers.add(patient.getIdentifierFirstRep().getSystem() + "|" + patient.getIdentifierFirstRep().getValue());
		}
		return identifiers;
	}

	/** The resource types in a directory of bundles: $export asks for these only (stock would add its own Binary files). */
	private static String typesIn(Path dir) throws Exception {
		ObjectMapper json = new ObjectMapper();
		TreeSet<String> types = new TreeSet<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
				for (JsonNode entry : json.readTree(file.toFile()).path("entry")) {
					types.add(entry.path("resource").path("resourceType").asText());
				}
			}
		}
		types.remove("");
		return String.join(",", types);
	}

	private static List<Server> rotated(List<Server> servers, int round) {
		List<Server> order = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			order.add(servers.get((i + round) % servers.size()));
		}
		return order;
	}

	static String table(List<Server> servers, Map<Server, Measures> measures, StringBuilder notes, Map<String, List<String>> options) {
		Server stock = servers.get(0);
		StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "## Side by side, %s, %d cores%n%n",
				Instant.now().toString().substring(0, 16).replace('T', ' '), Runtime.getRuntime().availableProcessors()));
		md.append("| measure |");
		for (Server server : servers) {
			md.append(' ').append(server.name()).append(" |");
			if (server != stock) {
				md.append(" ÷ stock |");
			}
		}
		md.append("\n| --- |");
		servers.forEach(s -> md.append(s == stock ? " ---: |" : " ---: | ---: |"));
		md.append('\n');
		row(md, servers, "ready, empty database (s)", s -> new double[] {s.readySeconds()}, "%.1f");
		row(md, servers, "ingest resources/s (median of slices)", s -> new double[] {IngestBenchmark.median(measures.get(s).ingestRates)}, "%.0f");
		row(md, servers, "ingest: server JVM CPU s", s -> new double[] {measures.get(s).ingestCpu}, "%.1f");
		row(md, servers, "ingest: PostgreSQL CPU s (its database's backends)", s -> new double[] {measures.get(s).ingestDbCpu}, "%.1f");
		row(md, servers, "ingest: resources stored / errors",
				s -> new double[] {measures.get(s).ingestResources, measures.get(s).ingestErrors}, "%.0f");
		for (String query : measures.get(stock).latencies.keySet()) {
			row(md, servers, query + " p50 / p95 ms", s -> medians(measures.get(s).latencies.get(query)), "%.1f");
		}
		if (!measures.get(stock).exportRates.isEmpty()) {
			row(md, servers, "system $export resources/s (kick-off to last file)",
					s -> new double[] {IngestBenchmark.median(measures.get(s).exportRates)}, "%.0f");
			row(md, servers, "$export: server JVM CPU s", s -> new double[] {IngestBenchmark.median(measures.get(s).exportCpu)}, "%.1f");
			row(md, servers, "$export: resources exported", s -> new double[] {measures.get(s).exported}, "%.0f");
		}
		md.append('\n');
		String data = options.containsKey("bundles") ? "bundles in " + option(options, "bundles", null)
				: integer(options, "patients", 30) + " synthetic patients (seed " + seed(options) + ", "
						+ integer(options, "encounters", 10) + " encounters each)";
		md.append(String.format(Locale.ROOT, "Data: %s, ingest on %d connections. Ours: validation `%s`. Medians of %d rounds (servers alternating,"
						+ " other patients each round); ratios are ours ÷ stock.%n", data, integer(options, "concurrency", 2), option(options, "validation", "enforce"),
				integer(options, "rounds", 3)));
		if (integer(options, "ingest-warm-up", 0) > 0 && !options.containsKey("bundles")) {
			md.append(String.format(Locale.ROOT, "Before the timed slices each server ingested %d other patients, untimed (JIT warm-up).%n",
					integer(options, "ingest-warm-up", 0)));
		}
		notes.toString().lines().forEach(line -> md.append(line).append(".\n"));
		servers.forEach(s -> {
			if (measures.get(s).firstError != null) {
				md.append(s.name()).append(", first ingest error: ").append(measures.get(s).firstError).append('\n');
			}
		});
		return md.toString();
	}

	private static void row(StringBuilder md, List<Server> servers, String label,
			java.util.function.Function<Server, double[]> value, String format) {
		double[] stock = value.apply(servers.get(0));
		md.append("| ").append(label).append(" |");
		for (Server server : servers) {
			double[] v = value.apply(server);
			md.append(' ').append(joined(v, format)).append(" |");
			if (server != servers.get(0)) {
				double[] ratio = new double[v.length];
				for (int i = 0; i < v.length; i++) {
					ratio[i] = v[i] / stock[i];
				}
				md.append(' ').append(joined(ratio, "%.2f")).append(" |");
			}
		}
		md.append('\n');
	}

	private static String joined(double[] values, String format) {
		List<String> parts = new ArrayList<>();
		for (double v : values) {
			parts.add(Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, format, v));
		}
		return String.join(" / ", parts);
	}

	/** {median p50, median p95} over the rounds. */
	private static double[] medians(List<double[]> rounds) {
		if (rounds == null) {
			return new double[] {Double.NaN, Double.NaN};
		}
		return new double[] {IngestBenchmark.median(rounds.stream().map(p -> p[0]).toList()),
				IngestBenchmark.median(rounds.stream().map(p -> p[1]).toList())};
	}

	private static void closeQuietly(SideBySideServers processes) {
		try {
			processes.close();
		} catch (Exception e) {
			System.err.println("stopping the servers: " + e);
		}
	}

	/** --name value pairs; a name given more than once keeps every value (--stock-arg, --ours-arg). */
	static Map<String, List<String>> options(String[] args) {
		Map<String, List<String>> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument " + args[i]);
			}
			String name = args[i].substring(2);
			boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
			options.computeIfAbsent(name, n -> new ArrayList<>()).add(flag ? "true" : args[++i]);
		}
		return options;
	}

	private static String option(Map<String, List<String>> options, String name, String fallback) {
		List<String> values = options.get(name);
		return values == null ? fallback : values.get(values.size() - 1);
	}

	private static int integer(Map<String, List<String>> options, String name, int fallback) {
		return Integer.parseInt(option(options, name, String.valueOf(fallback)));
	}

	/** How long a server may take to answer /metadata: minutes on a quiet machine, far more on a busy one. */
	private static Duration startTimeout(Map<String, List<String>> options) {
		return Duration.ofMinutes(integer(options, "start-timeout", 15));
	}

	private static long seed(Map<String, List<String>> options) {
		return Long.parseLong(option(options, "seed", "42"));
	}
}
