package vn.ehealth.fhir.server.disclosure;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.security.PublicReadPolicy;

/**
 * Public disclosure at /cong-khai/ (Circular 38/2024/TT-BYT): the facilities searchable by province
 * and name, and a page per facility with its operating licence, quality assessment, prices and staff
 * hours. No login: it shows only what the public directory serves on /fhir without a token, and is off
 * (404) when the public directory is. A bad query gets a 400 page in Vietnamese and English rather
 * than an OperationOutcome: these are pages a person reads in a browser, not the FHIR API (whose
 * errors stay OperationOutcomes).
 */
@RestController
class DisclosureController {

	static final String ROOT = "/cong-khai";
	static final int PAGE_SIZE = 20;

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);
	/** A FHIR id (R4 id datatype): anything else cannot name a stored Organization. */
	private static final String FHIR_ID = "[A-Za-z0-9\\-.]{1,64}";

	private final FacilityIndex index;
	private final DisclosurePages pages;
	private final ProvinceNames provinces;
	private final DaoRegistry daos;
	private final ObjectProvider<PublicReadPolicy> publicRead;

	DisclosureController(FacilityIndex index, DisclosurePages pages, ProvinceNames provinces, DaoRegistry daos,
			ObjectProvider<PublicReadPolicy> publicRead) {
		this.index = index;
		this.pages = pages;
		this.provinces = provinces;
		this.daos = daos;
		this.publicRead = publicRead;
	}

	/** Without the slash: the pages link relatively, so they must be read from /cong-khai/. */
	@GetMapping(ROOT)
	ResponseEntity<Void> withSlash() {
		return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY).location(URI.create("cong-khai/")).build();
	}

	@GetMapping({ROOT + "/", ROOT + "/index.html"})
	ResponseEntity<byte[]> index(HttpServletRequest request) {
		Optional<FacilityRecords> records = records();
		if (records.isEmpty() || !records.get().isPublic("Organization")) {
			return off(request);
		}
		IndexQuery query;
		try {
			query = IndexQuery.parse(request.getParameterMap(), provinces);
		} catch (IndexQuery.BadQuery bad) {
			return html(HttpStatus.BAD_REQUEST, pages.problem(root(request), "Yêu cầu không hợp lệ", "Bad request", bad.vi, bad.en));
		}
		FacilityIndex.Result result = index.search(query.province() == null ? null : query.province().code(),
				query.name(), (query.page() - 1) * PAGE_SIZE, PAGE_SIZE);
		return html(HttpStatus.OK, pages.index(query, result, PAGE_SIZE));
	}

	@GetMapping(ROOT + "/co-so/{id}")
	ResponseEntity<byte[]> facility(@PathVariable String id, HttpServletRequest request) {
		Optional<FacilityRecords> records = records();
		if (records.isEmpty() || !records.get().isPublic("Organization")) {
			return off(request);
		}
		if (!id.matches(FHIR_ID)) {
			return html(HttpStatus.BAD_REQUEST, pages.problem(root(request), "Yêu cầu không hợp lệ", "Bad request",
					"Mã cơ sở trong đường dẫn không phải là một id FHIR (chữ, số, '-', '.', tối đa 64 ký tự).",
					"The facility in the path is not a FHIR id (letters, digits, '-', '.', at most 64 characters)."));
		}
		Optional<FacilityRecords.Facility> facility = records.get().load(id);
		if (facility.isEmpty()) {
			index.forget(id);
			return notFound(request);
		}
		return html(HttpStatus.OK, pages.facility(facility.get()));
	}

	/** Anything else under /cong-khai/: a page of our own rather than the container's error page. */
	@GetMapping(ROOT + "/**")
	ResponseEntity<byte[]> elsewhere(HttpServletRequest request) {
		return notFound(request);
	}

	private Optional<FacilityRecords> records() {
		return Optional.ofNullable(publicRead.getIfAvailable()).map(policy -> new FacilityRecords(daos, policy));
	}

	private ResponseEntity<byte[]> notFound(HttpServletRequest request) {
		return html(HttpStatus.NOT_FOUND, pages.problem(root(request), "Không tìm thấy", "Not found",
				"Không có cơ sở khám bệnh, chữa bệnh hoặc trang này.", "There is no such health facility or page."));
	}

	private ResponseEntity<byte[]> off(HttpServletRequest request) {
		return html(HttpStatus.NOT_FOUND, pages.problem(root(request), "Không có trang công khai", "No public disclosure",
				"Máy chủ này không bật danh bạ công khai, nên không công khai thông tin cơ sở.",
				"This server's public directory is off, so it discloses no facility information."));
	}

	/** Error pages can sit at any depth, so they link to the index by absolute path. */
	private static String root(HttpServletRequest request) {
		return request.getContextPath() + ROOT + "/";
	}

	private static ResponseEntity<byte[]> html(HttpStatus status, String page) {
		return ResponseEntity.status(status).contentType(HTML).cacheControl(CacheControl.noCache())
				.body(page.getBytes(StandardCharsets.UTF_8));
	}
}
