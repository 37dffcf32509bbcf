package vn.ehealth.fhir.server.sync;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.security.AdminAccess;
import vn.ehealth.fhir.server.security.OAuthError;

/**
 * /admin/sync, for the operator (admin secret or a {@code vietfhir/admin} token):
 * {@code GET /admin/sync} shows the configured source, its high-water mark and the last run;
 * {@code POST /admin/sync/run} starts a run now (202), or says one is running (409).
 */
@RestController
@RequestMapping(path = "/admin/sync", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminSyncEndpoint {

	private final SyncJob job;
	private final SyncStateStore state;
	private final AdminAccess adminAccess;

	AdminSyncEndpoint(SyncJob job, SyncStateStore state, AdminAccess adminAccess) {
		this.job = job;
		this.state = state;
		this.adminAccess = adminAccess;
	}

	@GetMapping
	ResponseEntity<Map<String, Object>> status(HttpServletRequest request) {
		adminAccess.authorise(request);
		if (!job.configured()) {
			return notConfigured();
		}
		Map<String, Object> body = new LinkedHashMap<>(state.describe(job.source()));
		body.put("running_here", job.isRunning());
		return ResponseEntity.ok(body);
	}

	@PostMapping("/run")
	ResponseEntity<Map<String, Object>> run(HttpServletRequest request) {
		adminAccess.authorise(request);
		if (!job.configured()) {
			return notConfigured();
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("source", job.source());
		if (!job.trigger()) {
			body.put("status", "running");
			body.put("message", "A sync run is already in progress / Đang đồng bộ");
			return ResponseEntity.status(409).body(body);
		}
		body.put("status", "started");
		return ResponseEntity.status(202).body(body);
	}

	private static ResponseEntity<Map<String, Object>> notConfigured() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", "not_configured");
		body.put("message", "No sync source: set vietfhir.sync.source-base-url, client-id and private-key-file");
		return ResponseEntity.status(404).body(body);
	}

	@ExceptionHandler(OAuthError.class)
	ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return AdminAccess.refusal(error);
	}
}
