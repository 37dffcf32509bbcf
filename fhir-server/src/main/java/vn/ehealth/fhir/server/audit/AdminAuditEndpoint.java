package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.security.AdminAccess;
import vn.ehealth.fhir.server.security.OAuthError;

/**
 * /admin/audit, for the operator and inspectors (admin secret or a {@code vietfhir/admin} token):
 * {@code GET /admin/audit/verify} recomputes the hash chain and reports OK with the count or the
 * first broken sequence number; {@code GET /admin/audit/events?patient=Patient/{id}} lists a
 * patient's records as AuditEvents, newest first.
 */
@RestController
@RequestMapping(path = "/admin/audit")
public class AdminAuditEndpoint {

	private final AuditChain chain;
	private final AdminAccess adminAccess;
	private final FhirContext fhirContext;

	public AdminAuditEndpoint(AuditChain chain, AdminAccess adminAccess, FhirContext fhirContext) {
		this.chain = chain;
		this.adminAccess = adminAccess;
		this.fhirContext = fhirContext;
	}

	@GetMapping(path = "/verify", produces = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<Map<String, Object>> verify(HttpServletRequest request) {
		adminAccess.authorise(request);
		AuditChain.Verification result = chain.verify();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", result.intact() ? "OK" : "BROKEN");
		body.put("count", result.count());
		if (!result.intact()) {
			body.put("first_broken_seq", result.firstBrokenSeq());
			body.put("reason", result.reason());
		}
		// 409: the stored state contradicts its own hashes
		return ResponseEntity.status(result.intact() ? 200 : 409).body(body);
	}

	@GetMapping(path = "/events", produces = "application/fhir+json")
	public String events(
			@RequestParam String patient,
			@RequestParam(name = "_count", defaultValue = "100") int count,
			HttpServletRequest request) {
		adminAccess.authorise(request);
		String reference = patient.startsWith("Patient/") ? patient : "Patient/" + patient;
		int limit = Math.max(1, Math.min(count, AccessLogProvider.MAX_COUNT));
		return fhirContext.newJsonParser().encodeResourceToString(AuditEvents.bundle(chain.forPatient(reference, limit)));
	}

	@ExceptionHandler(OAuthError.class)
	public ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return AdminAccess.refusal(error);
	}
}
