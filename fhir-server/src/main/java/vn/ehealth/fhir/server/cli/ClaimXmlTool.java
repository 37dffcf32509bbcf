package vn.ehealth.fhir.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;

/**
 * A folder of claim XML files into {@code $import-claim-xml}, with a progress bar (docs/claim-xml.md):
 * <pre>
 * claim-xml --server &lt;fhir base&gt; [--client &lt;id&gt; --key &lt;private jwk file&gt;] [--scope system/*.cud]
 *           [--zip] [--errors claim-xml-errors.ndjson] &lt;folder or file&gt;…
 * </pre>
 * Each {@code .xml} (an envelope or a bare table set) and {@code .zip} is posted in turn; a file the
 * server takes as a job (202) is polled until done. {@code --zip} packs the XML files into one ZIP sent
 * as one job instead. Every refused episode's OperationOutcome goes to the error file, one a line.
 * Exit status 0 when every episode was stored, 1 when some were refused, 2 on a usage error.
 */
public final class ClaimXmlTool {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern JOB_PROGRESS = Pattern.compile("(\\d+) of (\\d+) files read, (\\d+) episodes stored, (\\d+) refused");

	/** What a run did. */
	public record Result(int files, int episodesStored, int episodesRefused, int filesRefused) {}

	private ClaimXmlTool() {}

	public static void main(String[] args) throws Exception {
		Result result;
		try {
			result = run(System.err, args);
		} catch (IllegalArgumentException | BackendServicesTokenClient.Failure e) {
			System.err.println("claim-xml: " + e.getMessage());
			System.err.println("usage: claim-xml --server <fhir base> [--client <id> --key <private jwk file>] [--scope system/*.cud]"
					+ " [--zip] [--errors claim-xml-errors.ndjson] <folder or file>...");
			System.exit(2);
			return;
		}
		System.exit(result.episodesRefused() + result.filesRefused() == 0 ? 0 : 1);
	}

	/** Runs the import, drawing the progress bar on {@code out}. */
	public static Result run(PrintStream out, String... args) throws IOException, InterruptedException {
		String server = null;
		String client = null;
		String key = null;
		String scope = "system/*.cud";
		boolean zip = false;
		Path errors = Path.of("claim-xml-errors.ndjson");
		List<Path> inputs = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "claim-xml" -> {}
				case "--server" -> server = value(args, ++i);
				case "--client" -> client = value(args, ++i);
				case "--key" -> key = value(args, ++i);
				case "--scope" -> scope = value(args, ++i);
				case "--errors" -> errors = Path.of(value(args, ++i));
				case "--zip" -> zip = true;
				default -> {
					if (args[i].startsWith("--")) {
						throw new IllegalArgumentException("unknown option " + args[i]);
					}
					inputs.add(Path.of(args[i]));
				}
			}
		}
		if (server == null || inputs.isEmpty()) {
			throw new IllegalArgumentException("--server and at least one folder or file are needed");
		}
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
		Supplier<String> token = client == null ? () -> null
				: BackendServicesTokenClient.discovering(http, server, client,
						BackendServicesTokenClient.readKey(Path.of(required(key, "--key"))), scope, null);
		List<Path> files = files(inputs);
		if (files.isEmpty()) {
			throw new IllegalArgumentException("no .xml or .zip file in " + inputs);
		}
		try (Writer errorFile = Files.newBufferedWriter(errors, StandardCharsets.UTF_8)) {
			Run run = new Run(http, server.replaceAll("/+$", ""), token, out, errorFile, files.size());
			if (zip) {
				run.postZip(files);
			} else {
				for (Path file : files) {
					run.post(file);
				}
			}
			out.println();
			out.printf(Locale.ROOT, "%d file(s): %d episode(s) stored, %d refused, %d file(s) refused%s%n", run.done,
					run.stored, run.refused, run.filesRefused,
					run.refused + run.filesRefused > 0 ? " (details: " + errors.toAbsolutePath() + ")" : "");
			return new Result(run.done, run.stored, run.refused, run.filesRefused);
		}
	}

	/** The .xml and .zip files of the folders (sorted by name) and the files named. */
	private static List<Path> files(List<Path> inputs) throws IOException {
		List<Path> files = new ArrayList<>();
		for (Path input : inputs) {
			if (Files.isDirectory(input)) {
				try (Stream<Path> list = Files.list(input)) {
					list.filter(ClaimXmlTool::isClaimFile).sorted().forEach(files::add);
				}
			} else if (Files.isRegularFile(input)) {
				files.add(input);
			} else {
				throw new IllegalArgumentException("no such file or folder: " + input);
			}
		}
		return files;
	}

	private static boolean isClaimFile(Path path) {
		String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		return Files.isRegularFile(path) && (name.endsWith(".xml") || name.endsWith(".zip"));
	}

	/** One run's counters and its progress bar. */
	private static final class Run {
		private final HttpClient http;
		private final String base;
		private final Supplier<String> token;
		private final PrintStream out;
		private final Writer errors;
		private final long startedAt = System.nanoTime();
		private final int total;
		private int done;
		private int stored;
		private int refused;
		private int filesRefused;

		Run(HttpClient http, String base, Supplier<String> token, PrintStream out, Writer errors, int total) {
			this.total = total;
			this.http = http;
			this.base = base;
			this.token = token;
			this.out = out;
			this.errors = errors;
		}

		void post(Path file) throws IOException, InterruptedException {
			boolean isZip = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/$import-claim-xml"))
					.header("Content-Type", isZip ? "application/zip" : "application/xml")
					.POST(HttpRequest.BodyPublishers.ofFile(file)));
			answer(file.getFileName().toString(), response, done);
			done++;
			bar(null);
		}

		/** Every file in one ZIP, one job. */
		void postZip(List<Path> files) throws IOException, InterruptedException {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
				for (Path file : files) {
					zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
					Files.copy(file, zip);
					zip.closeEntry();
				}
			}
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/$import-claim-xml"))
					.header("Content-Type", "application/zip").header("Prefer", "respond-async")
					.POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())));
			answer("ZIP", response, 0);
			done = total;
			bar(null);
		}

		/** Counts a synchronous answer, or follows a job to its manifest. */
		private void answer(String name, HttpResponse<String> response, int filesBefore) throws IOException, InterruptedException {
			if (response.statusCode() == 202) {
				awaitJob(response.headers().firstValue("Content-Location").orElseThrow(), filesBefore);
				return;
			}
			if (response.statusCode() != 200) {
				filesRefused++;
				errors.write(oneLine(response.body()) + "\n");
				out.printf("%n%s: HTTP %d %s%n", name, response.statusCode(), diagnostics(response.body()));
				return;
			}
			for (JsonNode entry : JSON.readTree(response.body()).path("entry")) {
				if (entry.path("response").path("status").asText().startsWith("200")) {
					stored++;
				} else {
					refused++;
					errors.write(entry.path("response").path("outcome").toString() + "\n");
				}
			}
		}

		private void awaitJob(String status, int filesBefore) throws IOException, InterruptedException {
			int storedBefore = stored;
			int refusedBefore = refused;
			while (true) {
				HttpResponse<String> poll = send(HttpRequest.newBuilder(URI.create(status)).GET());
				if (poll.statusCode() == 202) {
					String progress = poll.headers().firstValue("X-Progress").orElse("");
					Matcher m = JOB_PROGRESS.matcher(progress);
					if (m.find()) {
						stored = storedBefore + Integer.parseInt(m.group(3));
						refused = refusedBefore + Integer.parseInt(m.group(4));
						if (total == Integer.parseInt(m.group(2))) {
							done = filesBefore + Integer.parseInt(m.group(1));
						}
					}
					bar(progress);
					Thread.sleep(1000);
					continue;
				}
				if (poll.statusCode() != 200) {
					filesRefused++;
					errors.write(oneLine(poll.body()) + "\n");
					out.printf("%njob %s: HTTP %d %s%n", status, poll.statusCode(), diagnostics(poll.body()));
					return;
				}
				JsonNode manifest = JSON.readTree(poll.body());
				stored = storedBefore + manifest.path("extension").path("episodesStored").asInt();
				refused = refusedBefore + manifest.path("extension").path("episodesRefused").asInt();
				for (JsonNode error : manifest.path("error")) {
					HttpResponse<String> lines = send(HttpRequest.newBuilder(URI.create(error.path("url").asText())).GET());
					errors.write(lines.body());
				}
				return;
			}
		}

		private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
			String bearer = token.get();
			if (bearer != null) {
				request.header("Authorization", "Bearer " + bearer);
			}
			request.header("Accept", "application/fhir+json").timeout(Duration.ofMinutes(10));
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}

		/** [#########-----------]  12/40 files  35 episodes stored, 2 refused, 4.1 episodes/s */
		private void bar(String job) {
			int width = 30;
			int filled = total == 0 ? 0 : width * done / total;
			double seconds = Math.max(0.001, (System.nanoTime() - startedAt) / 1e9);
			out.printf(Locale.ROOT, "\r[%s%s] %d/%d files  %d episodes stored, %d refused, %.1f episodes/s%s", "#".repeat(filled),
					"-".repeat(width - filled), done, total, stored, refused, (stored + refused) / seconds,
					job == null ? "" : "  (" + job + ")");
			out.flush();
		}
	}

	private static String diagnostics(String body) {
		try {
			return JSON.readTree(body).path("issue").path(0).path("diagnostics").asText(body);
		} catch (IOException e) {
			return body;
		}
	}

	private static String oneLine(String body) {
		try {
			return JSON.readTree(body).toString();
		} catch (IOException e) {
			return JSON.createObjectNode().put("text", body).toString();
		}
	}

	private static String value(String[] args, int i) {
		if (i >= args.length) {
			throw new IllegalArgumentException(args[i - 1] + " needs a value");
		}
		return args[i];
	}

	private static String required(String value, String option) {
		if (value == null) {
			throw new IllegalArgumentException(option + " is needed with --client");
		}
		return value;
	}
}
