package vn.ehealth.fhir.server.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The FHIR REST API on /fhir: addresses, paging, request limits, ids.
 *
 * @param serverAddress public base URL written into links, e.g.
 *     https://fhir.soyte.hanoi.gov.vn/fhir; empty means "as the request came in"
 * @param defaultPageSize page size of a search that gives no _count
 * @param maxPageSize largest _count a search may ask for
 * @param maxRequestSize largest request body accepted (a gzip body counts decompressed); larger ones
 *     get 413 with an OperationOutcome. Real exchanges are large: one Synthea patient's bundle
 *     reaches 44 MB, a facility's day or a sync batch more
 * @param reuseCachedSearchResultsMillis how long identical searches reuse cached results (ms); 0 =
 *     always fresh
 * @param bundleBatchPoolSize threads that process batch bundle entries in parallel
 * @param localBaseUrls base URLs treated as this server's own in references (e.g. the public hostname)
 * @param serverIdStrategy ids the server gives new resources: {@code sequential} (1, 2, 3…) or
 *     {@code uuid}. A server whose data is synced into another (a province into the national
 *     server) uses uuid, so its ids are unique across servers and accepted there as client-assigned
 *     ids (purely numeric ones are not)
 * @param everythingEngine who answers Patient/[id]/$everything: {@code vietfhir} (ours: one
 *     patient's record read straight from the tables, paged by key). {@code hapi} (HAPI's stock
 *     operation) is a comparison switch for the benchmarks only, not for production; the server
 *     logs a warning when it is on
 * @param summaryMaxPerType the summary reads at most this many of a patient's records of each type,
 *     the newest stored: a record fed by a monitor (an observation a minute) would otherwise be read
 *     whole for one document
 * @param adminOperations HAPI's admin and maintenance operations turned on (expunge, reindex, …;
 *     see rest/AdminOperations): none by default, as $expunge erases history for good and Circular
 *     38/2024 requires the record to be kept. Those turned on need the vietfhir/admin scope
 * @param cors browser apps allowed to call the server (CORS)
 * @param maxSortKeys most _sort keys a search may give; a key given twice is refused whatever this
 *     says
 * @param statementTimeout longest a single database statement may run (PostgreSQL
 *     statement_timeout on every pooled connection); a search cancelled by it answers 503. 0 = no
 *     limit. Bulk export lifts it for its own transaction
 * @param largeBodies how many large request bodies are read and parsed at once
 */
@ConfigurationProperties("vietfhir.fhir")
@Validated
public record FhirSettings(
		@DefaultValue("") @NotNull String serverAddress,
		@DefaultValue("20") @Min(1) int defaultPageSize,
		@DefaultValue("500") @Min(1) int maxPageSize,
		@DefaultValue("256MB") @NotNull DataSize maxRequestSize,
		@DefaultValue("0") @Min(0) long reuseCachedSearchResultsMillis,
		@DefaultValue("2") @Min(1) int bundleBatchPoolSize,
		@DefaultValue List<String> localBaseUrls,
		@DefaultValue("sequential") @NotNull ServerIdStrategy serverIdStrategy,
		@DefaultValue("vietfhir") @NotNull EverythingEngine everythingEngine,
		@DefaultValue("5000") @Min(1) int summaryMaxPerType,
		@DefaultValue List<String> adminOperations,
		@DefaultValue @Valid Cors cors,
		@DefaultValue("5") @Min(1) int maxSortKeys,
		@DefaultValue("30s") @NotNull Duration statementTimeout,
		@DefaultValue @Valid LargeBodies largeBodies) {

	/**
	 * Browser apps allowed to call the server.
	 *
	 * @param allowedOrigins origins (scheme://host[:port]) whose pages may call /fhir, /auth and
	 *     /admin from a browser; {@code *} for any. Empty (the default): no CORS headers, browsers
	 *     refuse cross-origin calls
	 */
	public record Cors(@DefaultValue List<String> allowedOrigins) {}

	/**
	 * Request bodies large enough that only a few are read and parsed at once: HAPI holds a body in
	 * memory and parses it into resources that take several times its size.
	 *
	 * @param threshold bodies larger than this (counted as they are read, a gzip body decompressed)
	 *     wait for a permit; smaller ones never wait
	 * @param atOnce how many bodies above the threshold one server reads and processes at once (and
	 *     together no more than heap-share allows)
	 * @param maxWait how long a large body waits for a permit; then the answer is 503 with Retry-After
	 * @param heapShare percent of the maximum heap (-Xmx) that large bodies being parsed and stored may
	 *     take together; their sizes × heap-multiple are weighed against it, and a body that could never
	 *     fit is refused with 413 before it is read (instead of an OutOfMemoryError)
	 * @param heapMultiple heap a body takes while it is parsed and stored, as a multiple of its size
	 *     (HAPI builds a JSON tree, then the resources: measured 8–10× on HAPI 8.8)
	 */
	public record LargeBodies(
			@DefaultValue("16MB") @NotNull DataSize threshold,
			@DefaultValue("2") @Min(1) int atOnce,
			@DefaultValue("30s") @NotNull Duration maxWait,
			@DefaultValue("50") @Min(1) @Max(90) int heapShare,
			@DefaultValue("10") @Min(1) int heapMultiple) {}

	public enum ServerIdStrategy {
		SEQUENTIAL,
		UUID
	}

	public enum EverythingEngine {
		VIETFHIR,
		/** HAPI's stock $everything: a comparison switch for the benchmarks, not for production. */
		HAPI
	}
}
