package vn.ehealth.fhir.server.reporting;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.security.AdminAccess;
import vn.ehealth.fhir.server.security.OAuthError;

/**
 * {@code POST /admin/reports/rebuild}, for the operator (admin secret or a {@code vietfhir/admin} token,
 * as the other admin APIs): the statistics' facts rebuilt from the stored resources; answers when done,
 * with the number of resources read per type. No patient data is read out.
 */
@RestController
@RequestMapping(path = "/admin/reports", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminReportsEndpoint {

	private final FactRebuild rebuild;
	private final AdminAccess adminAccess;

	AdminReportsEndpoint(FactRebuild rebuild, AdminAccess adminAccess) {
		this.rebuild = rebuild;
		this.adminAccess = adminAccess;
	}

	@PostMapping("/rebuild")
	Map<String, Object> rebuild(HttpServletRequest request) {
		adminAccess.authorise(request);
		return rebuild.run();
	}

	@ExceptionHandler(OAuthError.class)
	ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return AdminAccess.refusal(error);
	}
}
