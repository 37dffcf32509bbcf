package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.springframework.core.Ordered;

/**
 * The one table of the order in which a request to /fhir meets the servlet filters and our HAPI
 * interceptor hooks: every {@code FilterRegistrationBean#setOrder} and every {@code @Hook(order = ...)}
 * in the server names a constant here, and nowhere else is an order number written. Within a section,
 * constants are declared in the order a request meets them and strictly increase, so two hooks never
 * share a number and their order never rests on which Spring bean happened to register first (HAPI
 * runs equal orders in registration order). Each section of hooks names its pointcuts; the e2e test
 * RequestPipelineTest checks the running server against this table. docs/request-pipeline.md tells
 * the same in prose.
 *
 * <p>Before the filters, Tomcat: {@link Utf8RequestTargetProtocol} accepts raw UTF-8 in the request
 * line, and {@link OperationOutcomeErrorReportValve} answers what fails before any filter runs.
 * After the filters, HAPI's RestfulServer: the hook sections below, in the order HAPI calls them,
 * then the resource provider (JPA DAO: transaction, pre-storage, pre-commit, pre-show), the response.
 */
public final class RequestPipeline {

	private RequestPipeline() {}

	/**
	 * Servlet filters on /fhir/* (REQUEST dispatch), outermost first. Spring Boot's own sit between
	 * ours by their numbers: CharacterEncodingFilter ({@code HIGHEST_PRECEDENCE}, after ours at the same
	 * number: registration beans sort before plain filter beans; it sets the body's charset, which
	 * {@link #UTF8_QUERY_STRING} does not read), ServerHttpObservationFilter ({@code HIGHEST_PRECEDENCE + 1}).
	 * Tomcat's WebSocket filter comes after all of them.
	 */
	public static final class Filters {
		private Filters() {}

		/** The query's raw UTF-8 bytes made text before anything (HAPI, logging) reads a parameter. */
		public static final int UTF8_QUERY_STRING = Ordered.HIGHEST_PRECEDENCE;
		/** Just inside Spring's observation filter: every request logged, refused ones included. */
		public static final int ACCESS_LOG = Ordered.HIGHEST_PRECEDENCE + 2;
		/** Before any access control: a preflight (OPTIONS, no token) is answered 200; still timed and logged. */
		public static final int CORS = Ordered.HIGHEST_PRECEDENCE + 3;
		/** Around everything that can refuse a /fhir request, so refusals (413, 401, 422) are counted too. */
		public static final int FHIR_REQUEST_METRICS = Ordered.HIGHEST_PRECEDENCE + 4;
		/** Before anything reads the body: an oversized or gzip-bomb body is refused (413) unread, token or not. */
		public static final int REQUEST_SIZE_LIMIT = 0;
		/** GET /fhir/metadata from the cached bytes; after the size limit, though a GET has no body. */
		public static final int METADATA_CACHE = 1;
		/** Rewrites POST $validate with a Parameters body for HAPI; reads the body, so after the size limit. */
		public static final int VALIDATE_PARAMETERS = 2;
		/** Hides an If-Modified-Since that is no HTTP date (RFC 9110 13.1.3) just before HAPI sees the headers. */
		public static final int INVALID_IF_MODIFIED_SINCE_IGNORED = Ordered.LOWEST_PRECEDENCE - 1;
		/** /fhir/.well-known/* forwarded out of the FHIR servlet's path, last: nothing of HAPI's applies to it. */
		public static final int SMART_CONFIGURATION_UNDER_FHIR_BASE = Ordered.LOWEST_PRECEDENCE;
	}

	/** Filters on other chains than a /fhir request's, placed like their /fhir counterparts. */
	public static final class OtherFilters {
		private OtherFilters() {}

		/** ERROR dispatch only (Tomcat's forward to /error): first there, so /fhir errors become OperationOutcomes. */
		public static final int ERROR_DISPATCH_OUTCOME = Ordered.HIGHEST_PRECEDENCE;
		/** /auth/token: where {@link Filters#FHIR_REQUEST_METRICS} is on /fhir. */
		public static final int TOKEN_REQUEST_METRICS = Filters.FHIR_REQUEST_METRICS;
	}

	/** At startup, while HAPI binds provider methods: not per request. */
	public static final class ProviderMethodBound {
		private ProviderMethodBound() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_PROVIDER_METHOD_BOUND);
		/** Admin operations that are off are not bound at all. */
		public static final int DROPPED_BINDINGS = 0;
	}

	/** Before HAPI parses the body or picks the method: only the URL and headers are known. */
	public static final class PostProcessed {
		private PostProcessed() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED);
		/** First: fixes the response format, so every answer after it (refusals too) is JSON for NDJSON bodies. */
		public static final int NDJSON_RESPONSE_FORMAT = 0;
		/** Malformed values refused (400) before any feature below reads them. */
		public static final int MALFORMED_REQUEST = 1;
		/** Takes $everything's _since off the request before HAPI reads its parameters. */
		public static final int EVERYTHING_SINCE = 2;
		/** Takes $expand's filter, count and offset off the request before HAPI reads them. */
		public static final int ACCENT_INSENSITIVE_EXPANSION = 3;
	}

	/** HAPI has picked the method; the body is not parsed yet. */
	public static final class PreHandlerSelected {
		private PreHandlerSelected() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED);
		/**
		 * /fhir/swagger-ui and /fhir/api-docs answered by HAPI's OpenApiInterceptor ({@code BearerTokenOpenApi}
		 * extends it; the number is HAPI's own annotation's): pages without patient data, before any access control.
		 */
		public static final int OPEN_API = 0;
	}

	/** The operation is known and the body parsed; the provider has not run. Access decisions live here. */
	public static final class PreHandled {
		private PreHandled() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED);
		/** AuditEvent writes are refused (405/403) for everyone, token or not: before the access control. */
		public static final int AUDIT_EVENT_WRITE_GUARD = -100;
		/** A URL-only check (too many _sort keys, 400), before the token is looked at. */
		public static final int SORT_KEY_LIMIT = 0;
		/** Token, scopes, purpose of use (401/403); before validation, so a client without access cannot probe the validator. */
		public static final int ACCESS_CONTROL = 1;
		/** A transaction validated as one Bundle (422), once the client may write at all. */
		public static final int PROFILE_ENFORCING = 2;
		/** Signature of a transaction checked against the client that the access control named. */
		public static final int SIGNED_SUBMISSION = 10;
		/** HAPI's own $export (engine=hapi): needs the access control's decision, last. */
		public static final int HAPI_EXPORT_SCOPES = 1000;
	}

	/** STORAGE_TRANSACTION_PROCESSING: a transaction or batch Bundle, before its entries are processed. */
	public static final class TransactionProcessing {
		private TransactionProcessing() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.STORAGE_TRANSACTION_PROCESSING);
		/** A Bundle without a type or with mismatched entry URLs refused (400) before any entry is stored. */
		public static final int REFUSED_WRITES = 0;
		/** A conditional create on a twin-system identifier resolved by a search that finds both namespaces. */
		public static final int EQUIVALENT_IDENTIFIERS = 1;
	}

	/** Each resource about to be created, updated or deleted (inside the database transaction). */
	public static final class Prestorage {
		private Prestorage() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED,
				Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED);
		/** A merge's source made inactive (identity), before any check looks at its content. */
		public static final int MERGED_SOURCE_INACTIVE = -1;
		/** Ids FHIR does not allow refused (400): cheap, before anything costlier. */
		public static final int REFUSED_WRITES = 0;
		/** AuditEvent entries of a transaction refused (403) before the validator spends time on them. */
		public static final int AUDIT_EVENT_WRITE_GUARD = 1;
		/** The guide's profiles (422), last: the most expensive check. */
		public static final int PROFILE_ENFORCING = 2;
	}

	/** Each stored resource, just before the database transaction commits. */
	public static final class Precommit {
		private Precommit() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED,
				Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED);
		/** One Patient per CCCD (409), before the audit trail records a write that is then refused. */
		public static final int CITIZEN_ID_REGISTRY = -1;
		/** The write recorded in the audit trail, in the same transaction as the write. */
		public static final int AUDIT_TRAIL = 0;
		/** The Patient's match features and blocking keys, and the duplicate check ($match, issue 19). */
		public static final int MATCH_INDEX = 1;
		/** The statistics' fact rows (reporting) written in the same transaction, after every check that can refuse it. */
		public static final int REPORT_FACTS = 2;
	}

	/** The agents of a Provenance HAPI writes itself (Patient/$merge). */
	public static final class ProvenanceAgents {
		private ProvenanceAgents() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.PROVENANCE_AGENTS);
		/** The calling client and its facility (identity/MergeAgents). */
		public static final int MERGE_AGENT = 0;
	}

	/** Every JPA search (match URLs and transaction entries too), its SearchParameterMap still open to change. */
	public static final class PresearchRegistered {
		private PresearchRegistered() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.STORAGE_PRESEARCH_REGISTERED);
		/** Identifiers of the two Vietnamese namespaces searched as one. */
		public static final int EQUIVALENT_IDENTIFIERS = 0;
	}

	/** The resources a read, search or operation is about to return. */
	public static final class Preshow {
		private Preshow() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.STORAGE_PRESHOW_RESOURCES);
		/** What the scopes and consent do not allow is removed first. */
		public static final int ACCESS_CONTROL = 0;
		/** $everything's _since drops the older resources, so neither the limit nor the audit counts them. */
		public static final int EVERYTHING_SINCE = 1;
		/** Counts the patients that will really be shown (429 past the daily limit): after the filters above. */
		public static final int PATIENT_VOLUME_LIMIT = 500;
		/** Audit after every access decision: records exactly what leaves, or the refusal's flag. */
		public static final int AUDIT_TRAIL = 1000;
	}

	/** The answer is built, not yet written. */
	public static final class OutgoingResponse {
		private OutgoingResponse() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_OUTGOING_RESPONSE);
		/** The audit record's outcome and status taken from the answer as HAPI built it. */
		public static final int AUDIT_TRAIL = 0;
		/** Forgets $everything's _since for the request. */
		public static final int EVERYTHING_SINCE = 1;
		/** The full expansion filtered and paged. */
		public static final int ACCENT_INSENSITIVE_EXPANSION = 2;
		/** Validation warnings added to the answer's header and OperationOutcome. HAPI's HTML highlighter (10000) comes after all. */
		public static final int PROFILE_ENFORCING = 3;
	}

	/** A failure on its way out: exceptions turned into the status and OperationOutcome they deserve. */
	public static final class OutgoingException {
		private OutgoingException() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION);
		/** An operation parameter HAPI could not convert: 400. */
		public static final int UNREADABLE_PARAMETER = 0;
		/** A statement PostgreSQL cancelled: 503. */
		public static final int STATEMENT_TIMEOUT = 1;
		/** PostgreSQL out of disk, memory or connections: 503, before a 500 could be taken for the client's fault. */
		public static final int DATABASE_OUT_OF_RESOURCES = 2;
		/** Other 500s the request caused: 400. */
		public static final int KNOWN_CLIENT_FAULTS = 3;
		/** A token search with :text while code display text is not indexed: HAPI's 405 becomes a 400 naming the setting. */
		public static final int TOKEN_TEXT_OFF = 4;
	}

	/** The failure, with its final status, about to be written. */
	public static final class HandleException {
		private HandleException() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_HANDLE_EXCEPTION);
		/** The refusal recorded with its status (HAPI's HTML highlighter, 10000, comes after). */
		public static final int AUDIT_TRAIL = 0;
	}

	/** The request is done, answered or failed. */
	public static final class ProcessingCompleted {
		private ProcessingCompleted() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_PROCESSING_COMPLETED);
		/** The audit record written. */
		public static final int AUDIT_TRAIL = 0;
		/** What HAPI learnt copied out for the access log and metrics filters, which finish after the servlet. */
		public static final int REQUEST_FACTS = 1;
	}

	/** GET /fhir/metadata: the generated CapabilityStatement, amended. */
	public static final class CapabilityStatement {
		private CapabilityStatement() {}

		public static final List<Pointcut> POINTCUTS = List.of(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED);
		/** Who we are and the guide, first: the others add to it. HAPI's highlighter (0) follows it, by registration. */
		public static final int ENRICHER = 0;
		/** Bulk Data $export operations. */
		public static final int BULK_DATA = 1;
		/** AuditEvent advertised as read and search only. */
		public static final int AUDIT_EVENT_WRITE_GUARD = 2;
		/** SMART security extension (only with security on). */
		public static final int SMART = 3;
	}
}
