package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.security.AdminAccess;
import vn.ehealth.fhir.server.security.ClientRegistry;
import vn.ehealth.fhir.server.security.RegisteredClient;
import vn.ehealth.fhir.server.security.OAuthError;

/**
 * /admin/audit, for the operator and inspectors (admin secret or a {@code vietfhir/admin} token):
 * {@code GET /admin/audit/verify} recomputes the hash chain and reports OK with the count or the
 * first broken sequence number; {@code GET /admin/audit/events?patient=Patient/{id}} lists a
 * patient's records as AuditEvents, newest first; {@code GET /admin/audit/volume?from=&to=&client=}
 * reports, per client and day, the distinct patients accessed and the requests refused for the daily
 * limit (JSON, or CSV with {@code format=csv} or {@code Accept: text/csv}).
 */
@RestController
@RequestMapping(path = "/admin/audit")
class AdminAuditEndpoint {

	/** Longest period one volume report covers. */
	private static final int MAX_REPORT_DAYS = 366;

	private final AuditChain chain;
	private final AdminAccess adminAccess;
	private final FhirContext fhirContext;
	private final AccessVolume volume;
	private final ClientRegistry registry;
	private final int defaultLimit;

	AdminAuditEndpoint(
			AuditChain chain, AdminAccess adminAccess, FhirContext fhirContext, AccessVolume volume,
			ClientRegistry registry, SafeguardSettings safeguards) {
		this.chain = chain;
		this.adminAccess = adminAccess;
		this.fhirContext = fhirContext;
		this.volume = volume;
		this.registry = registry;
		this.defaultLimit = safeguards.dailyPatientLimit();
	}

	@GetMapping(path = "/verify", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> verify(HttpServletRequest request) {
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
	String events(
			@RequestParam String patient,
			@RequestParam(name = "_count", defaultValue = "100") int count,
			HttpServletRequest request) {
		adminAccess.authorise(request);
		String reference = patient.startsWith("Patient/") ? patient : "Patient/" + patient;
		int limit = Math.max(1, Math.min(count, AccessLogProvider.MAX_COUNT));
		return fhirContext.newJsonParser().encodeResourceToString(AuditEvents.bundle(chain.forPatient(reference, limit)));
	}

	/**
	 * Per client and day: distinct patients accessed, its limit that day (as configured now), requests
	 * refused for the limit and whether the day is flagged. {@code from}/{@code to} are ISO dates in the
	 * server's time zone, default the last 30 days up to today.
	 */
	@GetMapping(path = "/volume")
	ResponseEntity<?> volume(
			@RequestParam(required = false) String from,
			@RequestParam(required = false) String to,
			@RequestParam(required = false) String client,
			@RequestParam(required = false) String format,
			HttpServletRequest request) {
		adminAccess.authorise(request);
		LocalDate last = date("to", to, volume.today());
		LocalDate first = date("from", from, last.minusDays(29));
		if (first.isAfter(last) || first.plusDays(MAX_REPORT_DAYS).isBefore(last)) {
			throw OAuthError.invalidRequest("from must not be after to, and the period at most " + MAX_REPORT_DAYS + " days");
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (AccessVolume.DayVolume day : volume.report(first, last, client == null || client.isBlank() ? null : client.trim())) {
			Optional<RegisteredClient> registered = registry.findCached(day.clientId());
			Integer own = registered.map(RegisteredClient::dailyPatientLimit).orElse(null);
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("day", day.day().toString());
			row.put("client_id", day.clientId());
			row.put("client_name", registered.map(RegisteredClient::name).orElse(null));
			row.put("distinct_patients", day.patients());
			row.put("daily_patient_limit", own != null ? own : defaultLimit);
			row.put("refused_requests", day.refused());
			row.put("flagged", day.refused() > 0);
			row.put("first_refused", day.firstRefused() == null ? null : day.firstRefused().toString());
			rows.add(row);
		}
		String accept = request.getHeader("Accept");
		if ("csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains("text/csv"))) {
			return ResponseEntity.ok()
					.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
					.header("Content-Disposition", "attachment; filename=\"access-volume-" + first + "-" + last + ".csv\"")
					.body(csv(rows));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("from", first.toString());
		body.put("to", last.toString());
		body.put("time_zone", volume.zone().getId());
		body.put("rows", rows);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private static LocalDate date(String name, String value, LocalDate otherwise) {
		if (value == null || value.isBlank()) {
			return otherwise;
		}
		try {
			return LocalDate.parse(value.trim());
		} catch (DateTimeParseException e) {
			throw OAuthError.invalidRequest(name + " must be a date YYYY-MM-DD, not " + value);
		}
	}

	/**
	 * A UTF-8 byte order mark first: Excel opens a CSV without one in the machine's ANSI code page
	 * and garbles Vietnamese client names.
	 */
	private static final String UTF8_BOM = "\uFEFF";

	private static String csv(List<Map<String, Object>> rows) {
		StringBuilder text = new StringBuilder(UTF8_BOM).append(
				"day,client_id,client_name,distinct_patients,daily_patient_limit,refused_requests,flagged,first_refused\r\n");
		for (Map<String, Object> row : rows) {
			StringJoiner line = new StringJoiner(",");
			row.values().forEach(value -> line.add(csvField(value)));
			text.append(line).append("\r\n");
		}
		return text.toString();
	}

	/** RFC 4180: quoted when it holds a comma, quote or line break. */
	private static String csvField(Object value) {
		String text = value == null ? "" : value.toString();
		boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
		return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
	}

	@ExceptionHandler(OAuthError.class)
	ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return AdminAccess.refusal(error);
	}
}
