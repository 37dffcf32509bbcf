package vn.ehealth.fhir.server.sync;

import ca.uhn.fhir.batch2.jobs.imprt.ResourceOrderUtil;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync run: what changed on a source server since the last run, applied to a target. The
 * source's {@code $export?_since=} gives the current version of every resource written since then
 * (the manifest's {@code output}) and the resources deleted since then ({@code deleted}, Bulk Data
 * 2.0); the target stores each by id (PUT: a resource already there as it is changes nothing),
 * referenced types first, then deletes (referring types first). The new high-water mark is the
 * export's {@code transactionTime}, handed back only when everything was applied: a failed or
 * interrupted run leaves the mark where it was and the next run repeats the same changes, which is
 * safe because applying them twice gives the same state.
 *
 * <p>{@code _since} asks for a little more than the mark ({@code overlap}): a write whose transaction
 * began before the source's export snapshot but committed after it carries an earlier timestamp
 * than the snapshot, and would otherwise be missed by the next run.
 */
public final class ProvinceSync {

	private static final Logger log = LoggerFactory.getLogger(ProvinceSync.class);
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final int DELETES_PER_CALL = 500;

	/** Where the changes go: this server (the scheduled job) or another over HTTP (the command). */
	interface Target {
		/** Imports the files in the order given; counts what was stored and what failed. */
		Applied importFiles(List<TypedFile> files, BooleanSupplier alive) throws IOException;

		/** Deletes the resources ({@code Type/id}, in the order given); deleting what is gone is no error. */
		Applied delete(List<String> references) throws IOException;
	}

	/** An NDJSON file of one resource type. */
	record TypedFile(String type, Path file, String label) {}

	/**
	 * What a target did: resources it wrote (or deleted), how many of those were already so,
	 * how many failed, and a few reasons.
	 */
	record Applied(long done, long unchanged, long failed, List<String> samples) {}

	/**
	 * A completed run: the new high-water mark, resources received and how many of them changed the
	 * target, deletions received and how many deleted something.
	 */
	public record Result(Instant transactionTime, long received, long changed, long deletionsReceived, long deleted) {
		public boolean movedNothing() {
			return changed == 0 && deleted == 0;
		}
	}

	private final BulkExportClient source;
	private final Target target;
	private final Duration overlap;
	private final List<String> typeOrder;

	ProvinceSync(BulkExportClient source, Target target, Duration overlap, FhirContext fhirContext) {
		this.source = source;
		this.target = target;
		this.overlap = overlap;
		this.typeOrder = ResourceOrderUtil.getResourceOrder(fhirContext);
	}

	/** Applies the changes after {@code highWaterMark} (all data when null); {@code workDir} holds the downloads. */
	Result run(Instant highWaterMark, Path workDir, BooleanSupplier alive) throws IOException {
		Files.createDirectories(workDir);
		Instant since = highWaterMark == null ? null : highWaterMark.minus(overlap);
		BulkExportClient.Manifest manifest = source.export(since, alive);
		try {
			long sourceErrors = manifest.error().stream().mapToLong(f -> Math.max(f.count(), 1)).sum();
			if (sourceErrors > 0) {
				throw new SyncFailure("The source's export reported " + sourceErrors + " error(s); nothing was applied");
			}
			// referenced types first (Patient before Observation); files of a type in manifest order
			List<BulkExportClient.FileRef> outputs = new ArrayList<>(manifest.output());
			outputs.sort(Comparator.comparingInt(f -> rank(f.type())));
			List<TypedFile> files = new ArrayList<>();
			for (int i = 0; i < outputs.size(); i++) {
				BulkExportClient.FileRef ref = outputs.get(i);
				Path file = workDir.resolve("output-" + i + ".ndjson");
				source.download(ref, file, alive);
				files.add(new TypedFile(ref.type(), file, ref.url()));
			}
			Latest latest = latestVersions(files);
			List<TypedFile> toApply = latest.duplicates ? keepLatest(files, latest, workDir) : files;

			Applied imported = target.importFiles(toApply, alive);
			if (imported.failed() > 0) {
				throw new SyncFailure(imported.failed() + " of " + latest.versions.size() + " resources could not be stored on the target"
						+ " (the high-water mark stays, the next run tries them again): " + String.join(" | ", imported.samples()));
			}

			List<String> deletions = deletions(manifest.deleted(), workDir, alive, latest);
			Applied deleted = new Applied(0, 0, 0, List.of());
			for (int from = 0; from < deletions.size(); from += DELETES_PER_CALL) {
				Applied part = target.delete(deletions.subList(from, Math.min(deletions.size(), from + DELETES_PER_CALL)));
				deleted = new Applied(deleted.done() + part.done(), 0, deleted.failed() + part.failed(), part.samples());
				if (part.failed() > 0) {
					throw new SyncFailure(part.failed() + " deletion(s) could not be applied on the target: " + String.join(" | ", part.samples()));
				}
			}
			Result result = new Result(manifest.transactionTime(), latest.versions.size(), imported.done() - imported.unchanged(),
					deletions.size(), deleted.done());
			log.info("Sync from {} applied: {} resources received ({} changed), {} deletions received ({} deleted), high-water mark {}",
					source.fhirBase(), result.received(), result.changed(), result.deletionsReceived(), result.deleted(),
					result.transactionTime());
			return result;
		} finally {
			source.release(manifest.statusUrl());
			try (var paths = Files.list(workDir)) {
				for (Path path : paths.toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	private int rank(String type) {
		int index = typeOrder.indexOf(type);
		return index < 0 ? Integer.MAX_VALUE : index;
	}

	/** Per resource, where its latest version is (highest versionId, then lastUpdated); whether any came twice. */
	private static final class Latest {
		final Map<String, long[]> versions = new HashMap<>(); // key -> {file, line, versionId}
		final Map<String, String> updated = new HashMap<>();
		boolean duplicates;
	}

	private static Latest latestVersions(List<TypedFile> files) throws IOException {
		Latest latest = new Latest();
		for (int f = 0; f < files.size(); f++) {
			try (BufferedReader reader = Files.newBufferedReader(files.get(f).file(), StandardCharsets.UTF_8)) {
				String text;
				long line = 0;
				while ((text = reader.readLine()) != null) {
					line++;
					if (text.isBlank()) {
						continue;
					}
					JsonNode resource = JSON.readTree(text);
					String key = resource.path("resourceType").asText() + "/" + resource.path("id").asText();
					long version = resource.path("meta").path("versionId").asLong(-1);
					String lastUpdated = resource.path("meta").path("lastUpdated").asText("");
					long[] known = latest.versions.get(key);
					if (known != null) {
						latest.duplicates = true;
						boolean newer = version > known[2]
								|| (version == known[2] && lastUpdated.compareTo(latest.updated.getOrDefault(key, "")) >= 0);
						if (!newer) {
							continue;
						}
					}
					latest.versions.put(key, new long[] {f, line, version});
					latest.updated.put(key, lastUpdated);
				}
			}
		}
		return latest;
	}

	/** Copies of the files with only each resource's latest version (updates applied in order means: the last one wins). */
	private static List<TypedFile> keepLatest(List<TypedFile> files, Latest latest, Path workDir) throws IOException {
		List<TypedFile> kept = new ArrayList<>();
		for (int f = 0; f < files.size(); f++) {
			TypedFile file = files.get(f);
			Path out = workDir.resolve("latest-" + f + ".ndjson");
			try (BufferedReader reader = Files.newBufferedReader(file.file(), StandardCharsets.UTF_8);
					BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
				String text;
				long line = 0;
				while ((text = reader.readLine()) != null) {
					line++;
					if (text.isBlank()) {
						continue;
					}
					JsonNode resource = JSON.readTree(text);
					long[] best = latest.versions.get(resource.path("resourceType").asText() + "/" + resource.path("id").asText());
					if (best != null && best[0] == f && best[1] == line) {
						writer.write(text);
						writer.newLine();
					}
				}
			}
			kept.add(new TypedFile(file.type(), out, file.label()));
		}
		return kept;
	}

	/**
	 * The {@code Type/id} of every deleted resource, referring types first; one that the same export
	 * also lists as current (deleted, then created again) is not deleted.
	 */
	private List<String> deletions(List<BulkExportClient.FileRef> deleted, Path workDir, BooleanSupplier alive, Latest latest)
			throws IOException {
		Map<String, Boolean> references = new LinkedHashMap<>();
		for (int i = 0; i < deleted.size(); i++) {
			Path file = workDir.resolve("deleted-" + i + ".ndjson");
			source.download(deleted.get(i), file, alive);
			try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				String text;
				while ((text = reader.readLine()) != null) {
					if (text.isBlank()) {
						continue;
					}
					for (JsonNode entry : JSON.readTree(text).path("entry")) {
						JsonNode request = entry.path("request");
						String url = request.path("url").asText("");
						if ("DELETE".equals(request.path("method").asText()) && url.matches("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")
								&& !latest.versions.containsKey(url)) {
							references.put(url, Boolean.TRUE);
						}
					}
				}
			}
		}
		List<String> ordered = new ArrayList<>(references.keySet());
		ordered.sort(Comparator.comparingInt((String ref) -> rank(ref.substring(0, ref.indexOf('/')))).reversed());
		return ordered;
	}
}
