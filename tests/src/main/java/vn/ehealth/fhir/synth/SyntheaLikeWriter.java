package vn.ehealth.fhir.synth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Writes {@link SyntheaLike} bundles as Synthea lays them out: {@code fhir/hospitalInformation*.json},
 * {@code fhir/practitionerInformation*.json} and one {@code fhir/Given_Family_uuid.json} per
 * patient, pretty-printed as Synthea writes them. {@link LoadData}'s {@code --synthea} loads the
 * directory the same way it loads real Synthea output.
 */
public final class SyntheaLikeWriter {

	private final SyntheaLike generator;
	private final long seed;
	private final int patients;
	private final int threads;

	public SyntheaLikeWriter(long seed, int patients, int threads) {
		this.generator = new SyntheaLike(seed);
		this.seed = seed;
		this.patients = patients;
		this.threads = Math.max(1, threads);
	}

	/** Entries per patient bundle and the largest file, beside the usual summary. */
	public record Written(DataWriter.Summary summary, long bytes, long largestFileBytes) {}

	public Written write(Path out) throws IOException, InterruptedException {
		long started = System.nanoTime();
		Path fhir = out.resolve("fhir");
		Files.createDirectories(fhir);
		Map<String, Integer> byType = new TreeMap<>();
		List<Integer> perPatient = new ArrayList<>();
		long[] bytes = new long[2];
		IParser parser = pretty();
		Bundle hospitals = generator.hospitalBundle();
		Bundle practitioners = generator.practitionerBundle();
		write(fhir.resolve("hospitalInformation" + seed + ".json"), parser.encodeResourceToString(hospitals), bytes);
		write(fhir.resolve("practitionerInformation" + seed + ".json"), parser.encodeResourceToString(practitioners), bytes);
		count(hospitals, byType);
		count(practitioners, byType);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		ThreadLocal<IParser> parsers = ThreadLocal.withInitial(SyntheaLikeWriter::pretty);
		try {
			Deque<Future<Object[]>> pending = new ArrayDeque<>();
			int next = 0;
			while (next < patients || !pending.isEmpty()) {
				while (next < patients && pending.size() < threads * 2) {
					int n = next++;
					pending.add(pool.submit(() -> {
						Bundle bundle = generator.patientBundle(n);
						Map<String, Integer> types = new TreeMap<>();
						count(bundle, types);
						return new Object[] {generator.fileName(n, bundle), parsers.get().encodeResourceToString(bundle), types, bundle.getEntry().size()};
					}));
				}
				Object[] done = pending.poll().get();
				write(fhir.resolve((String) done[0]), (String) done[1], bytes);
				@SuppressWarnings("unchecked")
				Map<String, Integer> types = (Map<String, Integer>) done[2];
				types.forEach((type, count) -> byType.merge(type, count, Integer::sum));
				perPatient.add((Integer) done[3]);
			}
		} catch (ExecutionException e) {
			throw new IllegalStateException("generating a patient failed", e.getCause());
		} finally {
			pool.shutdownNow();
		}
		int directory = hospitals.getEntry().size() + practitioners.getEntry().size();
		DataWriter.Summary summary = new DataWriter.Summary(out, patients, directory, byType, perPatient, 0, (System.nanoTime() - started) / 1e9);
		return new Written(summary, bytes[0], bytes[1]);
	}

	static void count(Bundle bundle, Map<String, Integer> byType) {
		bundle.getEntry().forEach(entry -> byType.merge(entry.getResource().fhirType(), 1, Integer::sum));
	}

	private static void write(Path file, String json, long[] bytes) throws IOException {
		try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			writer.write(json);
		}
		long size = Files.size(file);
		bytes[0] += size;
		bytes[1] = Math.max(bytes[1], size);
	}

	private static IParser pretty() {
		return FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true);
	}
}
