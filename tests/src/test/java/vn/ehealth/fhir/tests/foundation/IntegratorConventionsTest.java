package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** What integrators expect of a server: CORS, Swagger with a token, quiet logs, metrics, CSV for Excel. */
class IntegratorConventionsTest {

	/** Allowed for the suite's server in TestServer (vietfhir.fhir.cors.allowed-origins). */
	private static final String APP_ORIGIN = TestServer.CORS_ORIGIN;

	private static TestServer server;
	private static Http http;
	private static Http anonymous;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.http();
		anonymous = server.anonymousHttp();
	}

	private static HttpRequest.Builder preflight(String path, String origin) {
		return HttpRequest.newBuilder(anonymous.uri(path))
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.header("Origin", origin)
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "authorization,content-type,x-purpose-of-use,prefer");
	}

	@Test
	void aBrowserAppOfAConfiguredOriginPassesThePreflightWithoutATokenAndReadsTheLocationHeaders() {
		Http.Response answer = anonymous.send(preflight("/fhir/Patient", APP_ORIGIN));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);
		assertThat(answer.header("Access-Control-Allow-Methods")).contains("POST");
		assertThat(answer.header("Access-Control-Allow-Headers").toLowerCase())
				.contains("authorization", "content-type", "x-purpose-of-use", "prefer");
		assertThat(anonymous.send(preflight("/auth/token", APP_ORIGIN)).status()).isEqualTo(200);

		Patient patient = Fixtures.patient("Đặng", "Thị Cors", Fixtures.uniqueValue());
		Http.Response created = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient"))
				.header("Origin", APP_ORIGIN)
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(
						FhirContext.forR4Cached().newJsonParser().encodeResourceToString(patient), StandardCharsets.UTF_8)));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);
		assertThat(created.header("Access-Control-Expose-Headers"))
				.contains("Location", "Content-Location", "ETag", "X-Progress", "X-Request-ID");

		Http.Response otherSite = anonymous.send(preflight("/fhir/Patient", "https://trang-la.example"));
		assertThat(otherSite.status()).isEqualTo(403);
		assertThat(otherSite.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void swaggerDeclaresTheBearerTokenAndServesUtf8() {
		Http.Response docs = http.get("/fhir/api-docs", "*/*");
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.header("Content-Type")).containsIgnoringCase("charset=UTF-8");
		assertThat(docs.body()).contains("securitySchemes:", "scheme: bearer", "- bearer: []");

		Http.Response page = anonymous.get("/fhir/swagger-ui/", "text/html");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).containsIgnoringCase("charset=UTF-8");
	}

	@Test
	void theTestPagePostsItsFormSoTheTokenStaysOutOfUrls() {
		Http.Response home = anonymous.get("/", "text/html");
		assertThat(home.status()).isEqualTo(200);
		assertThat(home.body()).contains("name=\"apiKey\"")
				.contains("method=\"post\" id=\"outerForm\"")
				.doesNotContain("method=\"get\" id=\"outerForm\"");

		// HAPI's page controller takes the posted form: a search with the token from the field
		String form = "serverId=vietfhir&resource=Patient&apiKey="
				+ URLEncoder.encode(server.tokens().token(), StandardCharsets.UTF_8);
		Http.Response search = anonymous.post("/search", "application/x-www-form-urlencoded", form);
		assertThat(search.status()).isEqualTo(200);
		assertThat(search.body()).contains("HTTP 200").doesNotContain("HTTP 401");
	}

	@Test
	void eachRequestLogsOneLineWithoutQueryValuesAndRefusalsLogNoStackTrace() throws InterruptedException {
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		Logger accessLog = logging.getLogger("vietfhir.access");
		Level before = accessLog.getLevel();
		accessLog.setLevel(Level.INFO);
		// what the server's own appenders write: the console only (no file unless logging.file.name is
		// set), through the filters the server put on it
		List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
		logging.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
		assertThat(appenders).extracting(Appender::getName).containsExactly("CONSOLE");
		assertThat(appenders.get(0).getCopyOfAttachedFiltersList()).isNotEmpty();
		ListAppender<ILoggingEvent> captured = new ListAppender<>();
		appenders.get(0).getCopyOfAttachedFiltersList().forEach(captured::addFilter);
		captured.start();
		logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
		String cccd = Fixtures.cccd("001185");
		try {
			assertThat(http.get("/fhir/Patient?identifier=" + enc(Fixtures.CCCD_SYSTEM + "|" + cccd) + "&_count=1",
					"application/fhir+json").status()).isEqualTo(200);
			assertThat(http.get("/fhir/Patient/khong-co-" + Fixtures.uniqueValue(), "application/fhir+json").status())
					.isEqualTo(404);
			assertThat(anonymous.get("/fhir/Observation?subject=Patient/1", "application/fhir+json").status()).isEqualTo(401);
			assertThat(http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient?_id=1"))
					.header("X-Purpose-Of-Use", "KHONGDANGKY").GET()).status()).isEqualTo(403);
			Patient wrongCccd = Fixtures.patientWithCccd(Fixtures.cccd("001090"), "male", "1985-03-02");
			assertThat(http.post("/fhir/Patient", "application/fhir+json",
					FhirContext.forR4Cached().newJsonParser().encodeResourceToString(wrongCccd)).status()).isEqualTo(422);
			// the line is written once the response is out: the last one may come a moment later, so the
			// appender stays attached while waiting for it
			for (int i = 0; i < 250 && accessLines(captured).size() < 5; i++) {
				Thread.sleep(20);
			}
		} finally {
			logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
			accessLog.setLevel(before);
		}
		List<String> access = accessLines(captured);
		assertThat(access).hasSize(5)
				.anyMatch(line -> line.startsWith("GET /fhir/Patient?identifier&_count 200 ")
						&& line.contains("client=" + Tokens.SUITE_CLIENT))
				.anyMatch(line -> line.startsWith("GET /fhir/Patient/khong-co-") && line.contains(" 404 "))
				.anyMatch(line -> line.startsWith("GET /fhir/Observation?subject 401 ") && line.contains("client=-"))
				.anyMatch(line -> line.startsWith("GET /fhir/Patient?_id 403 "))
				.anyMatch(line -> line.startsWith("POST /fhir/Patient 422 "));
		assertThat(String.join("\n", access)).doesNotContain(cccd).doesNotContain("Patient/1");

		// refusals are the client's business: nothing at WARN or above, no stack trace
		assertThat(captured.list)
				.filteredOn(e -> e.getThreadName().startsWith("http-nio"))
				.allSatisfy(e -> {
					assertThat(e.getLevel().toInt()).as(e.getLoggerName() + ": " + e.getFormattedMessage())
							.isLessThan(Level.WARN.toInt());
					assertThat(e.getThrowableProxy()).isNull();
				});
	}

	@Test
	void prometheusSaysWhatTheServerDoes() throws InterruptedException {
		assertThat(http.get("/fhir/Patient?_count=1", "application/fhir+json").status()).isEqualTo(200);
		Patient wrongCccd = Fixtures.patientWithCccd(Fixtures.cccd("001090"), "male", "1985-03-02");
		assertThat(http.post("/fhir/Patient", "application/fhir+json",
				FhirContext.forR4Cached().newJsonParser().encodeResourceToString(wrongCccd)).status()).isEqualTo(422);
		exportOrganizations();

		String metrics = anonymous.get("/actuator/prometheus", "text/plain").body();
		assertThat(series(metrics, "vietfhir_fhir_requests_seconds_count"))
				.anyMatch(s -> s.contains("interaction=\"search-type\"") && s.contains("resource_type=\"Patient\"")
						&& s.contains("status=\"200\"") && s.contains("outcome=\"SUCCESS\""))
				.anyMatch(s -> s.contains("interaction=\"create\"") && s.contains("status=\"422\""))
				.anyMatch(s -> s.contains("interaction=\"$export\""));
		assertThat(series(metrics, "http_server_requests_seconds_count"))
				.anyMatch(s -> s.contains("uri=\"/fhir/{type}\""));
		assertThat(series(metrics, "vietfhir_validation_refusals_total")).anyMatch(s -> s.contains("resource_type=\"Patient\""));
		assertThat(series(metrics, "vietfhir_tokens_total")).anyMatch(s -> s.contains("result=\"granted\""));
		assertThat(series(metrics, "vietfhir_audit_records_total")).isNotEmpty();
		assertThat(series(metrics, "vietfhir_bulk_jobs_total"))
				.anyMatch(s -> s.contains("kind=\"export\"") && s.contains("status=\"completed\""));
		assertThat(series(metrics, "vietfhir_bulk_resources_total")).anyMatch(s -> s.contains("kind=\"export\""));
	}

	private static void exportOrganizations() throws InterruptedException {
		server.client().create().resource(Fixtures.facility("Bệnh viện Đo Lường")).execute();
		Http.Response kickOff = http.send(HttpRequest.newBuilder(http.uri("/fhir/$export?_type=Organization"))
				.header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET());
		assertThat(kickOff.status()).isEqualTo(202);
		String status = kickOff.header("Content-Location");
		for (int i = 0; i < 300; i++) {
			Http.Response poll = http.send(HttpRequest.newBuilder(java.net.URI.create(status)).GET());
			if (poll.status() == 200) {
				return;
			}
			assertThat(poll.status()).isEqualTo(202);
			Thread.sleep(200);
		}
		throw new AssertionError("export not done in a minute");
	}

	/** The lines of one metric in the Prometheus text format. */
	private static List<String> series(String metrics, String name) {
		return Arrays.stream(metrics.split("\n")).filter(line -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList();
	}

	@Test
	void theAuditCsvStartsWithAUtf8ByteOrderMarkForExcel() throws IOException, InterruptedException {
		HttpResponse<byte[]> csv = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(anonymous.uri("/admin/audit/volume?format=csv"))
						.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/csv").containsIgnoringCase("charset=UTF-8"));
		assertThat(Arrays.copyOf(csv.body(), 3)).containsExactly(0xEF, 0xBB, 0xBF);
		assertThat(new String(csv.body(), StandardCharsets.UTF_8)).startsWith("\uFEFFday,client_id,");
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static List<String> accessLines(ListAppender<ILoggingEvent> captured) {
		return List.copyOf(captured.list).stream()
				.filter(e -> e.getLoggerName().equals("vietfhir.access") && e.getFormattedMessage().contains(" /fhir/"))
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
	}
}
