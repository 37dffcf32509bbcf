package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.tests.support.Http;

/** Kick-off, polling and downloading for the bulk export tests on one server. */
final class BulkExports {

	static final String ASYNC = "respond-async";
	private static final ObjectMapper JSON = new ObjectMapper();

	private final Http http;
	private final String rootUrl;

	BulkExports(Http http, String rootUrl) {
		this.http = http;
		this.rootUrl = rootUrl;
	}

	/** An actual Group of persons with these members, created on the server; its id. */
	static String createGroup(IGenericClient client, List<? extends IIdType> members) {
		Group group = new Group();
		group.setType(Group.GroupType.PERSON).setActual(true);
		members.forEach(member -> group.addMember().setEntity(new Reference(member)));
		return client.create().resource(group).execute().getId().getIdPart();
	}

	/** A kick-off as the Bulk Data IG asks for it: Accept application/fhir+json, Prefer as given. */
	HttpRequest.Builder kickOff(String path, String prefer) {
		return HttpRequest.newBuilder(http.uri(path)).header("Prefer", prefer).header("Accept", "application/fhir+json").GET();
	}

	/** A kick-off with {@code Prefer: respond-async}. */
	HttpRequest.Builder kickOff(String path) {
		return kickOff(path, ASYNC);
	}

	Http.Response send(HttpRequest.Builder request) {
		return http.send(request);
	}

	/** Kicks off (202 expected), then polls until the manifest comes. */
	JsonNode export(HttpRequest.Builder request) throws InterruptedException {
		Http.Response kickOff = http.send(request);
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		return poll(kickOff.header("Content-Location"));
	}

	/** Kicks off a GET export of this path with {@code Prefer: respond-async}, then polls until the manifest comes. */
	JsonNode export(String path) throws InterruptedException {
		return export(kickOff(path));
	}

	/** Polls a status URL (absolute or a path) until the manifest comes; checks the 202 headers meanwhile. */
	JsonNode poll(String status) throws InterruptedException {
		for (int i = 0; i < 900; i++) {
			Http.Response response = http.get(pathOf(status));
			if (response.status() == 200) {
				return json(response.body());
			}
			assertThat(response.status()).as(response.body()).isEqualTo(202);
			assertThat(response.header("X-Progress")).isNotBlank();
			assertThat(response.header("Retry-After")).isNotBlank();
			Thread.sleep(200);
		}
		throw new AssertionError("export did not finish: " + status);
	}

	/** The lines of a manifest list's files (output, error or deleted), by the files' type. */
	Map<String, List<String>> download(JsonNode files) {
		Map<String, List<String>> lines = new LinkedHashMap<>();
		for (JsonNode item : files) {
			lines.computeIfAbsent(item.get("type").asText(), t -> new ArrayList<>()).addAll(downloadLines(item));
		}
		return lines;
	}

	/** The lines of one manifest item's file; as many as its count says. */
	List<String> downloadLines(JsonNode item) {
		List<String> fileLines = downloadOne(item.get("url").asText()).lines().filter(l -> !l.isBlank()).toList();
		assertThat(fileLines).hasSize(item.get("count").asInt());
		return fileLines;
	}

	/** One file, 200 as NDJSON. */
	String downloadOne(String url) {
		Http.Response file = http.get(pathOf(url));
		assertThat(file.status()).as(file.body()).isEqualTo(200);
		assertThat(file.header("Content-Type")).startsWith("application/fhir+ndjson");
		return file.body();
	}

	String pathOf(String url) {
		return url.startsWith("http") ? url.substring(rootUrl.length()) : url;
	}

	URI uriOf(String url) {
		return http.uri(pathOf(url));
	}

	static JsonNode json(String text) {
		try {
			return JSON.readTree(text);
		} catch (java.io.IOException e) {
			throw new AssertionError("not JSON: " + text, e);
		}
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
