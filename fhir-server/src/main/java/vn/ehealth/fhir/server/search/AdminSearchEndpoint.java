package vn.ehealth.fhir.server.search;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.security.AdminAccess;
import vn.ehealth.fhir.server.security.OAuthError;

/**
 * /admin/search/reindex, for the operator (admin secret or a {@code vietfhir/admin} token, as
 * /admin/clients): {@code POST} starts a rebuild of the full-text index from the database (202,
 * {@code ?purge=true} empties the resource index first), {@code GET} reports the run of this node and
 * whether one is running on any node. No patient data is read out: only counts.
 */
@RestController
@RequestMapping(path = "/admin/search/reindex", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminSearchEndpoint {

	private final FullTextIndexRebuild rebuild;
	private final AdminAccess adminAccess;

	AdminSearchEndpoint(FullTextIndexRebuild rebuild, AdminAccess adminAccess) {
		this.rebuild = rebuild;
		this.adminAccess = adminAccess;
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> start(
			@RequestParam(name = "purge", defaultValue = "false") String purge, HttpServletRequest request) {
		adminAccess.authorise(request);
		if (!purge.equals("true") && !purge.equals("false")) {
			throw OAuthError.invalidRequest("purge must be true or false, not " + purge);
		}
		FullTextIndexRebuild.Run run = rebuild.start(Boolean.parseBoolean(purge));
		return ResponseEntity.accepted()
				.header("Content-Location", "/admin/search/reindex")
				.body(run.toJson());
	}

	@GetMapping
	Map<String, Object> status(HttpServletRequest request) {
		adminAccess.authorise(request);
		FullTextIndexRebuild.Run last = rebuild.last();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("running_anywhere", rebuild.runningAnywhere());
		body.put("this_node", last == null ? null : last.toJson());
		return body;
	}

	@ExceptionHandler(FullTextIndexRebuild.AlreadyRunning.class)
	ResponseEntity<Map<String, Object>> conflict(FullTextIndexRebuild.AlreadyRunning e) {
		return AdminAccess.refusal(new OAuthError(409, "conflict", e.getMessage()));
	}

	@ExceptionHandler(OAuthError.class)
	ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return AdminAccess.refusal(error);
	}
}
