package vn.ehealth.fhir.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes a data set to a directory:
 *
 * <pre>
 * directory.json            transaction bundle of the health system: load it first
 * patients/&lt;id&gt;.json         one transaction bundle per patient
 * ndjson/&lt;Type&gt;.ndjson       every resource once, one file per type (directory first, then patient by patient)
 * manifest.json             seed, counts, and the files, for the loader and for people
 * </pre>
 *
 * Each resource is encoded once (compact JSON) and reused for its bundle entry and its NDJSON line.
 * The encoder is the HL7 core library's generated R4 composer, not HAPI's reflective parser: the
 * same JSON (only the key order inside complex extensions differs), in half the time.
 * Patients are generated on several threads but written in order, so the bytes never depend on
 * scheduling.
 */
public final class DataWriter {

	/** What was written. */
	public record Summary(Path out, int patients, int directoryResources, Map<String, Integer> byType, List<Integer> perPatient,
			int deceased, double seconds) {

		public int totalResources() {
			return byType.values().stream().mapToInt(Integer::intValue).sum();
		}

		public int percentile(int percent) {
			List<Integer> sorted = new ArrayList<>(perPatient);
			Collections.sort(sorted);
			int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
		}
	}

	private record Encoded(String type, String id, String json) {}

	private record PatientOutput(String id, List<Encoded> resources, boolean deceased) {}

	private final SyntheticData data;
	private final boolean bundles;
	private final boolean ndjson;
	private final int threads;

	public DataWriter(SyntheticData data, boolean bundles, boolean ndjson, int threads) {
		this.data = data;
		this.bundles = bundles;
		this.ndjson = ndjson;
		this.threads = Math.max(1, threads);
	}

	public Summary write(Path out) throws IOException, InterruptedException {
		long started = System.nanoTime();
		Files.createDirectories(out);
		Path patientsDir = out.resolve("patients");
		Path ndjsonDir = out.resolve("ndjson");
		if (bundles) {
			Files.createDirectories(patientsDir);
		}
		if (ndjson) {
			Files.createDirectories(ndjsonDir);
		}
		org.hl7.fhir.r4.formats.JsonParser parser = parser();
		Map<String, Integer> byType = new TreeMap<>();
		Map<String, BufferedWriter> lines = new TreeMap<>();
		List<Integer> perPatient = new ArrayList<>();
		int deceased = 0;
		int directorySize;
		try {
			List<Encoded> directory = encode(parser, data.directory());
			directorySize = directory.size();
			if (bundles) {
				Files.writeString(out.resolve("directory.json"), transaction(directory), StandardCharsets.UTF_8);
			}
			append(ndjsonDir, lines, directory, byType);
			ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
				Thread thread = new Thread(runnable, "synthetic-data");
				thread.setDaemon(true);
				return thread;
			});
			try {
				Deque<Future<PatientOutput>> pending = new ArrayDeque<>();
				ThreadLocal<org.hl7.fhir.r4.formats.JsonParser> parsers = ThreadLocal.withInitial(DataWriter::parser);
				List<Integer> numbers = data.patientNumbers();
				int next = 0;
				int window = threads * 8;
				while (next < numbers.size() || !pending.isEmpty()) {
					while (next < numbers.size() && pending.size() < window) {
						int n = numbers.get(next++);
						pending.add(pool.submit(() -> {
							List<Resource> resources = data.patient(n);
							boolean dead = ((Patient) resources.get(0)).hasDeceased();
							return new PatientOutput(data.patientId(n), encode(parsers.get(), resources), dead);
						}));
					}
					PatientOutput patient = pending.poll().get();
					if (bundles) {
						Files.writeString(patientsDir.resolve(patient.id() + ".json"), transaction(patient.resources()), StandardCharsets.UTF_8);
					}
					append(ndjsonDir, lines, patient.resources(), byType);
					perPatient.add(patient.resources().size());
					deceased += patient.deceased() ? 1 : 0;
				}
			} catch (java.util.concurrent.ExecutionException e) {
				throw new IllegalStateException("generating a patient failed", e.getCause());
			} finally {
				pool.shutdownNow();
			}
		} finally {
			for (BufferedWriter writer : lines.values()) {
				writer.close();
			}
		}
		Summary summary = new Summary(out, data.patients(), directorySize, byType, perPatient, deceased,
				(System.nanoTime() - started) / 1e9);
		Files.writeString(out.resolve("manifest.json"), manifest(summary), StandardCharsets.UTF_8);
		return summary;
	}

	private static org.hl7.fhir.r4.formats.JsonParser parser() {
		org.hl7.fhir.r4.formats.JsonParser parser = new org.hl7.fhir.r4.formats.JsonParser();
		parser.setOutputStyle(org.hl7.fhir.r4.formats.IParser.OutputStyle.NORMAL);
		return parser;
	}

	private static List<Encoded> encode(org.hl7.fhir.r4.formats.JsonParser parser, List<Resource> resources) {
		List<Encoded> encoded = new ArrayList<>(resources.size());
		try {
			for (Resource resource : resources) {
				encoded.add(new Encoded(resource.fhirType(), resource.getIdElement().getIdPart(), parser.composeString(resource)));
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return encoded;
	}

	private void append(Path dir, Map<String, BufferedWriter> lines, List<Encoded> resources, Map<String, Integer> byType) {
		for (Encoded resource : resources) {
			byType.merge(resource.type(), 1, Integer::sum);
			if (!ndjson) {
				continue;
			}
			try {
				BufferedWriter writer = lines.get(resource.type());
				if (writer == null) {
					writer = Files.newBufferedWriter(dir.resolve(resource.type() + ".ndjson"), StandardCharsets.UTF_8);
					lines.put(resource.type(), writer);
				}
				writer.write(resource.json());
				writer.write('\n');
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
	}

	/** The transaction bundle as text, from the already encoded resources (same JSON as HAPI writes). */
	private static String transaction(List<Encoded> resources) {
		StringBuilder json = new StringBuilder(resources.stream().mapToInt(r -> r.json().length() + 80).sum() + 64);
		json.append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
		for (int i = 0; i < resources.size(); i++) {
			Encoded resource = resources.get(i);
			if (i > 0) {
				json.append(',');
			}
			json.append("{\"resource\":").append(resource.json())
					.append(",\"request\":{\"method\":\"PUT\",\"url\":\"").append(resource.type()).append('/').append(resource.id())
					.append("\"}}");
		}
		return json.append("]}").toString();
	}

	private String manifest(Summary summary) {
		StringBuilder json = new StringBuilder("{\n");
		json.append("  \"generator\": \"vn.ehealth.fhir.synth.GenerateData\",\n");
		json.append("  \"seed\": ").append(data.seed()).append(",\n");
		json.append("  \"patients\": ").append(summary.patients()).append(",\n");
		json.append("  \"careStart\": \"").append(data.careStart()).append("\",\n");
		json.append("  \"asOf\": \"").append(data.asOf()).append("\",\n");
		json.append("  \"directoryResources\": ").append(summary.directoryResources()).append(",\n");
		json.append("  \"resources\": ").append(summary.totalResources()).append(",\n");
		json.append("  \"medianResourcesPerPatient\": ").append(summary.percentile(50)).append(",\n");
		json.append("  \"deceasedPatients\": ").append(summary.deceased()).append(",\n");
		json.append("  \"resourcesByType\": {");
		int i = 0;
		for (Map.Entry<String, Integer> entry : summary.byType().entrySet()) {
			json.append(i++ == 0 ? "\n" : ",\n").append("    \"").append(entry.getKey()).append("\": ").append(entry.getValue());
		}
		json.append("\n  },\n");
		json.append("  \"directoryBundle\": ").append(bundles ? "\"directory.json\"" : "null").append(",\n");
		json.append("  \"patientBundles\": ").append(bundles ? "\"patients/\"" : "null").append(",\n");
		json.append("  \"ndjson\": ").append(ndjson ? "\"ndjson/\"" : "null").append("\n");
		return json.append("}\n").toString();
	}
}
