package vn.ehealth.fhir.server.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The statistics dashboard at /dashboard/: one static page, its script and style, the charting library
 * from its WebJar, and the sign-in settings the script reads (config.json). The page itself holds no
 * data: the script signs the user in and reads the statistics from /fhir with the user's token, so
 * /fhir's scopes, purposes of use, small-cell suppression and audit apply exactly as to any client.
 */
@RestController
@ConditionalOnProperty(name = DashboardSettings.ENABLED, havingValue = "true", matchIfMissing = true)
class DashboardController {

	static final String ROOT = "/dashboard";
	private static final String FILES = "dashboard/";
	private static final String ECHARTS = "classpath*:META-INF/resources/webjars/echarts/*/dist/echarts.min.js";

	private static final MediaType JS = new MediaType("text", "javascript", StandardCharsets.UTF_8);
	private static final MediaType CSS = new MediaType("text", "css", StandardCharsets.UTF_8);
	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private final DashboardSettings settings;
	private final SignInEndpoints signIn;
	private final ObjectMapper json;
	private final byte[] index;
	private final Map<String, Asset> assets;

	/** A file the dashboard serves, read once at start-up. */
	record Asset(MediaType type, byte[] body) {}

	DashboardController(DashboardSettings settings, SignInEndpoints signIn) throws IOException {
		this.settings = settings;
		this.signIn = signIn;
		this.json = new ObjectMapper();
		this.index = read(new ClassPathResource(FILES + "index.html"));
		this.assets = Map.of(
				"dashboard.js", new Asset(JS, read(new ClassPathResource(FILES + "dashboard.js"))),
				"dashboard.css", new Asset(CSS, read(new ClassPathResource(FILES + "dashboard.css"))),
				"echarts.min.js", new Asset(JS, read(echarts())));
	}

	/** The WebJar's file found by pattern, so that a new version of the WebJar needs no change here. */
	private static Resource echarts() throws IOException {
		Resource[] found = new PathMatchingResourcePatternResolver().getResources(ECHARTS);
		if (found.length == 0) {
			throw new IllegalStateException("The ECharts WebJar (org.webjars.npm:echarts) is not on the classpath");
		}
		return found[0];
	}

	/** /dashboard without the slash: the page's links and its sign-in redirect URI are relative to /dashboard/. */
	@GetMapping(ROOT)
	ResponseEntity<Void> withSlash() {
		return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY).location(URI.create("dashboard/")).build();
	}

	@GetMapping({ROOT + "/", ROOT + "/index.html"})
	ResponseEntity<byte[]> page() {
		String tokenOrigin = signIn.endpoints().map(e -> origin(e.token())).orElse("");
		return ResponseEntity.ok()
				.contentType(HTML)
				.cacheControl(CacheControl.noStore())
				// scripts only from here; the code travels in the URL, so no Referer leaves the page
				.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
						+ "img-src 'self' data: blob:; connect-src 'self' " + tokenOrigin + "; frame-ancestors 'none'")
				.header("Referrer-Policy", "no-referrer")
				.header("X-Content-Type-Options", "nosniff")
				.body(index);
	}

	@GetMapping({ROOT + "/{file}", ROOT + "/lib/{file}"})
	ResponseEntity<byte[]> asset(@PathVariable String file) {
		Asset asset = assets.get(file);
		if (asset == null) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
					.body(("Không có tệp này / Not found: " + file).getBytes(StandardCharsets.UTF_8));
		}
		return ResponseEntity.ok()
				.contentType(asset.type())
				.cacheControl(CacheControl.noCache())
				.header("X-Content-Type-Options", "nosniff")
				.body(asset.body());
	}

	/** What the page needs to sign in and to ask for statistics; no secret (the client is public). */
	@GetMapping(ROOT + "/config.json")
	ResponseEntity<byte[]> config(HttpServletRequest request) throws IOException {
		ObjectNode config = json.createObjectNode();
		config.put("fhirBase", request.getContextPath() + "/fhir");
		config.put("purpose", settings.purpose());
		config.put("publicPages", request.getContextPath() + "/cong-khai/");
		Optional<SignInEndpoints.Endpoints> endpoints = signIn.endpoints();
		if (endpoints.isPresent()) {
			ObjectNode oidc = config.putObject("signIn");
			oidc.put("issuer", endpoints.get().issuer());
			oidc.put("authorizationEndpoint", endpoints.get().authorization());
			oidc.put("tokenEndpoint", endpoints.get().token());
			oidc.put("clientId", settings.clientId());
			oidc.put("scopes", settings.scopes());
		}
		return ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.body(json.writeValueAsBytes(config));
	}

	private static String origin(String url) {
		URI uri = URI.create(url);
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

	private static byte[] read(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			return in.readAllBytes();
		} catch (IOException e) {
			throw new UncheckedIOException("Dashboard file missing: " + resource, e);
		}
	}
}
