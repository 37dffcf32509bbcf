package vn.ehealth.fhir.server.guide;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The implementation guide as public documentation at /ig/: the index, a page per resource, each
 * resource's raw JSON, and the package itself. Public on purpose: integrators read and download the
 * guide before they have any account. Bodies are written as bytes with an explicit charset so the
 * Vietnamese text is UTF-8 whatever message converters the MVC configuration (HAPI's test page
 * brings its own {@code @EnableWebMvc}) happens to install.
 */
@RestController
class GuideController {

	static final String ROOT = "/ig";

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);
	private static final MediaType FHIR_JSON = new MediaType("application", "fhir+json", StandardCharsets.UTF_8);
	private static final MediaType GZIP = new MediaType("application", "gzip");

	private final GuideCatalog catalog;
	private final GuidePages pages;
	/** The package never changes while the server runs, so each page is rendered at most once. */
	private final Map<String, byte[]> rendered = new ConcurrentHashMap<>();

	GuideController(GuideCatalog catalog, GuidePages pages) {
		this.catalog = catalog;
		this.pages = pages;
	}

	/** /ig without the slash: the pages link relatively, so they must be read from /ig/. */
	@GetMapping(ROOT)
	ResponseEntity<Void> withSlash() {
		return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY).location(URI.create("ig/")).build();
	}

	@GetMapping({ROOT + "/", ROOT + "/index.html"})
	ResponseEntity<byte[]> index() {
		return html(HttpStatus.OK, rendered.computeIfAbsent("", key -> utf8(pages.index())));
	}

	/** The package (as {@code <id>.tgz} or {@code package.tgz}); any other single name is not part of the guide. */
	@GetMapping(ROOT + "/{file}")
	ResponseEntity<byte[]> file(@PathVariable String file, HttpServletRequest request) {
		if (!file.equals(catalog.packageId() + ".tgz") && !file.equals("package.tgz")
				&& !file.equals(catalog.downloadName())) {
			return notFound(file, request);
		}
		return ResponseEntity.ok()
				.contentType(GZIP)
				.header(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.attachment().filename(catalog.downloadName()).build().toString())
				.eTag("\"" + catalog.guide().sha256() + "\"")
				.body(catalog.guide().tgz());
	}

	/**
	 * A resource's page, or its JSON when asked with {@code ?_format=json} or as {@code {id}.json}. The
	 * JSON is the package's own file, byte for byte, so it can be compared with a downloaded package.
	 */
	@GetMapping(ROOT + "/{type}/{id}")
	ResponseEntity<byte[]> resource(
			@PathVariable String type,
			@PathVariable String id,
			@RequestParam(name = "_format", required = false) String format,
			HttpServletRequest request) {
		boolean json = format != null && format.toLowerCase(Locale.ROOT).contains("json");
		if (format != null && !json && !format.equalsIgnoreCase("html") && !format.equalsIgnoreCase("text/html")) {
			return html(HttpStatus.NOT_ACCEPTABLE, utf8(pages.problem(igRoot(request), "Không có định dạng này",
					"Format not available", "Trang có dạng HTML và JSON (_format=json).",
					"Pages come as HTML and as JSON (_format=json).")));
		}
		Optional<GuideCatalog.Entry> entry = catalog.find(type, id);
		if (entry.isEmpty() && id.endsWith(".json")) {
			entry = catalog.find(type, id.substring(0, id.length() - ".json".length()));
			json = true;
		}
		if (entry.isEmpty()) {
			return notFound(type + "/" + id, request);
		}
		if (json) {
			return ResponseEntity.ok().contentType(FHIR_JSON).body(entry.get().raw());
		}
		String found = entry.get().id();
		return html(HttpStatus.OK, rendered.computeIfAbsent(type + "/" + found,
				key -> utf8(pages.resource(type, found).orElseThrow())));
	}

	/** Anything deeper under /ig/: a page of the guide's own rather than the container's error page. */
	@GetMapping(ROOT + "/**")
	ResponseEntity<byte[]> elsewhere(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length() + ROOT.length() + 1);
		return notFound(path, request);
	}

	private ResponseEntity<byte[]> notFound(String what, HttpServletRequest request) {
		return html(HttpStatus.NOT_FOUND, utf8(pages.notFound(what, igRoot(request))));
	}

	/** Error pages can sit at any depth, so they link to the index by absolute path. */
	private static String igRoot(HttpServletRequest request) {
		return request.getContextPath() + ROOT + "/";
	}

	private static ResponseEntity<byte[]> html(HttpStatus status, byte[] body) {
		return ResponseEntity.status(status).contentType(HTML).body(body);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}
