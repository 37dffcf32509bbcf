package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.synth.LabelledDuplicates;

/**
 * {@code Patient/$match} latency as the population grows (issue 19: p95 ≤ 50 ms, growing far slower
 * than the population). One embedded server on a fresh data directory, security off; the synthetic
 * population's people (the stored records of {@link LabelledDuplicates}, ids {@code m<n>}) are stored
 * through {@code $import} up to each size in turn, and at each size {@code queries} calls of each
 * kind are timed over HTTP, one at a time, on people picked at random among those stored:
 * <ul>
 * <li>{@code cccd}: the CCCD alone (a certain match);
 * <li>{@code name+birth}: the person's second record without identifiers, with a typing slip, no
 * diacritics or swapped name parts (the labelled kinds), birth date and sex;
 * <li>{@code name+province}: name, birth year only, sex and province.
 * </ul>
 * Then the candidate query's plan at the last size ({@code EXPLAIN ANALYZE}) and the largest blocks.
 *
 * <p>{@code MAVEN_OPTS=-Xmx2g mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.MatchLatencyBenchmark
 * -Dexec.args="10000,100000 200"} (sizes, queries per kind per size[, seed[, index]]). With {@code index}, the
 * people beyond the first size are written into the match index only (no FHIR resource; minutes instead
 * of an hour on a loaded machine) and queries are drawn among the first size's people, so the candidate
 * blocks are those of the larger population while the resources read are not.
 */
public final class MatchLatencyBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	private static final IParser JSON = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false);
	private static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
	private static final int IMPORT_CHUNK = 20_000;
	private static final String[] KINDS = {"cccd", "name+birth", "name+province"};

	private MatchLatencyBenchmark() {}

	public static void main(String[] args) throws Exception {
		int[] sizes = java.util.Arrays.stream((args.length > 0 ? args[0] : "10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
		int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
		long seed = args.length > 2 ? Long.parseLong(args[2]) : 19L;
		// "index": beyond the first size, people go into the match index only (no FHIR resource), fast
		boolean indexOnly = args.length > 3 && args[3].equals("index");
		LabelledDuplicates people = new LabelledDuplicates(seed, AS_OF);
		System.out.println("load at start: " + BenchServer.load());
		try (ConfigurableApplicationContext server = start()) {
			String base = BenchServer.base(server);
			JdbcTemplate jdbc = new JdbcTemplate(server.getBean(DataSource.class));
			System.out.println("| stored Patients | query | p50 ms | p95 ms | p99 ms | right record found | load (1/5/15 min) |");
			System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | --- |");
			int stored = 0;
			int resources = 0;
			for (int size : sizes) {
				if (indexOnly && stored > 0) {
					stored = index(server.getBean(DataSource.class), people, stored, size);
				} else {
					stored = store(base, people, stored, size);
					resources = stored;
				}
				jdbc.execute("ANALYZE vf_patient_match; ANALYZE vf_patient_match_key");
				measure(base, people, size, resources, queries, new Random(seed + size));
			}
			explain(jdbc, people.of(stored / 2, "m").stored());
		}
		System.out.println("load at end: " + BenchServer.load());
	}

	private static ConfigurableApplicationContext start() throws Exception {
		// loading speed only: $match does not validate
		return BenchServer.start("match", "off", "vietfhir.reports.maintain-facts=false");
	}

	/** People {@code from … to-1} stored through $import; returns {@code to}. */
	private static int store(String base, LabelledDuplicates people, int from, int to) throws Exception {
		long started = System.nanoTime();
		for (int chunk = from; chunk < to; chunk += IMPORT_CHUNK) {
			StringBuilder ndjson = new StringBuilder();
			for (int n = chunk; n < Math.min(to, chunk + IMPORT_CHUNK); n++) {
				ndjson.append(JSON.encodeResourceToString(people.of(n, "m").stored())).append('\n');
			}
			BulkImportBenchmark.Result result = BulkImportBenchmark.run(base, (String) null, ndjson.toString());
			if (result.errors() > 0) {
				throw new IllegalStateException("$import: " + result.errors() + " errors in people " + chunk + "…");
			}
		}
		System.out.printf(Locale.ROOT, "stored people %d…%d in %.0f s (load %s)%n", from, to - 1, (System.nanoTime() - started) / 1e9, BenchServer.load());
		return to;
	}

	/**
	 * People {@code from … to-1} written into the match index only, by the server's own code
	 * ({@code MatchIndex.put}, package-private: reached by reflection), without a FHIR resource: the
	 * blocks are those of {@code to} people, while the queries are drawn among the people stored as
	 * resources. Returns {@code to}.
	 */
	private static int index(DataSource dataSource, LabelledDuplicates people, int from, int to) throws Exception {
		long started = System.nanoTime();
		java.lang.reflect.Method put = Class.forName("vn.ehealth.fhir.server.identity.MatchIndex")
				.getDeclaredMethod("put", java.sql.Connection.class, String.class, Patient.class);
		put.setAccessible(true);
		try (java.sql.Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			for (int n = from; n < to; n++) {
				Patient person = people.of(n, "m").stored();
				put.invoke(null, connection, person.getIdElement().getIdPart(), person);
				if (n % 1000 == 999) {
					connection.commit();
				}
			}
			connection.commit();
		}
		System.out.printf(Locale.ROOT, "indexed people %d…%d (match index only) in %.0f s (load %s)%n", from, to - 1,
				(System.nanoTime() - started) / 1e9, BenchServer.load());
		return to;
	}

	private static void measure(String base, LabelledDuplicates people, int size, int resources, int queries, Random random)
			throws Exception {
		Map<String, List<Double>> times = new LinkedHashMap<>();
		Map<String, Integer> right = new LinkedHashMap<>();
		for (int i = 0; i < 20; i++) { // warm-up
			Patient warmUp = query(KINDS[i % KINDS.length], people.of(random.nextInt(resources), "m"), people, resources, random);
			warmUp.setId((String) null);
			match(base, warmUp);
		}
		for (int q = 0; q < queries; q++) {
			for (String kind : KINDS) {
				LabelledDuplicates.Case person = people.of(random.nextInt(resources), "m");
				Patient query = query(kind, person, people, resources, random);
				// the stored record it should find; the query itself goes without an id ($match leaves its own id out)
				String wanted = query.getIdElement().getIdPart();
				query.setId((String) null);
				long started = System.nanoTime();
				Bundle found = match(base, query);
				times.computeIfAbsent(kind, k -> new ArrayList<>()).add((System.nanoTime() - started) / 1e6);
				boolean hit = found.getEntry().stream().anyMatch(e -> e.getResource().getIdElement().getIdPart().equals(wanted));
				right.merge(kind, hit ? 1 : 0, Integer::sum);
			}
		}
		List<Double> all = new ArrayList<>();
		for (String kind : KINDS) {
			all.addAll(times.get(kind));
			row(size, kind, times.get(kind), right.get(kind) + "/" + queries);
		}
		row(size, "all", all, "");
	}

	private static void row(int size, String kind, List<Double> times, String right) {
		double[] p = SearchBenchmark.percentiles(times);
		System.out.printf(Locale.ROOT, "| %,d | %s | %.1f | %.1f | %.1f | %s | %s |%n", size, kind, p[0], p[1], p[2], right, BenchServer.load());
	}

	/**
	 * The query of one kind for a stored person, its id set to the stored record's only so the caller
	 * knows which record is right (it must take it off before asking: $match leaves the query's own id out).
	 */
	private static Patient query(String kind, LabelledDuplicates.Case person, LabelledDuplicates people, int size, Random random) {
		Patient stored = person.stored();
		Patient query = new Patient();
		switch (kind) {
			case "cccd" -> stored.getIdentifier().stream().filter(i -> IdentifierSystems.CCCD.equals(i.getSystem()))
					.forEach(i -> query.addIdentifier(i.copy()));
			case "name+birth" -> {
				// a stored person whose labelled second record is a slip, no diacritics or swapped parts
				int kinds = LabelledDuplicates.Kind.values().length;
				LabelledDuplicates.Case c = people.of(random.nextInt(size / kinds) * kinds + random.nextInt(3), "m");
				Patient second = c.second();
				second.setId(c.stored().getIdElement().getIdPart());
				second.getIdentifier().clear();
				second.getTelecom().clear();
				return second;
			}
			default -> {
				query.addName(stored.getNameFirstRep().copy());
				query.setGender(stored.getGender());
				query.setBirthDateElement(new DateType(stored.getBirthDateElement().getValueAsString().substring(0, 4)));
				query.addAddress(new Address().setState(stored.getAddressFirstRep().getState()));
			}
		}
		if (query.getIdentifier().isEmpty() && kind.equals("cccd")) {
			query.addName(stored.getNameFirstRep().copy()); // a person without CCCD (a child): the name and birth date
			query.setBirthDateElement(stored.getBirthDateElement().copy());
		}
		query.setId(stored.getIdElement().getIdPart());
		return query;
	}

	private static Bundle match(String base, Patient query) throws Exception {
		Parameters parameters = new Parameters();
		parameters.addParameter().setName("resource").setResource(query);
		parameters.addParameter().setName("count").setValue(new org.hl7.fhir.r4.model.IntegerType(10));
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/Patient/$match"))
				.header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.encodeResourceToString(parameters), StandardCharsets.UTF_8)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		if (response.statusCode() != 200) {
			throw new IllegalStateException("$match: " + response.statusCode() + " " + response.body());
		}
		return JSON.parseResource(Bundle.class, response.body());
	}

	/** The candidate query's plan for one stored person's keys, and the block sizes. */
	private static void explain(JdbcTemplate jdbc, Patient person) throws Exception {
		String id = person.getIdElement().getIdPart();
		java.lang.reflect.Field field = Class.forName("vn.ehealth.fhir.server.identity.MatchIndex").getDeclaredField("CANDIDATES");
		field.setAccessible(true);
		String sql = ((String) field.get(null)).replaceFirst("\\?", "ARRAY(SELECT match_key FROM vf_patient_match_key WHERE patient_id = '"
				+ id + "')").replaceFirst("\\?", "'" + id + "'").replaceFirst("\\?", "200");
		System.out.println("EXPLAIN (ANALYZE, BUFFERS) of the candidate query for " + id + ":");
		jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS) " + sql, String.class).forEach(line -> System.out.println("    " + line));
		System.out.println("largest blocks (key, Patients):");
		jdbc.queryForList("SELECT match_key || ' ' || count(*) FROM vf_patient_match_key GROUP BY match_key ORDER BY count(*) DESC LIMIT 8",
				String.class).forEach(line -> System.out.println("    " + line));
		System.out.println("Patients per key: " + jdbc.queryForObject("SELECT 'keys ' || count(*) || ', mean ' || round(avg(n), 2)"
				+ " || ', p99 ' || percentile_disc(0.99) WITHIN GROUP (ORDER BY n) FROM (SELECT count(*) AS n FROM vf_patient_match_key"
				+ " GROUP BY match_key) b", String.class));
	}

	/** The load averages (1, 5, 15 min): the machine is shared. */
}
