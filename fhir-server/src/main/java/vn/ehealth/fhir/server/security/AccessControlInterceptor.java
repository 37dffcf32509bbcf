package vn.ehealth.fhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import vn.ehealth.fhir.server.rest.AdminOperations;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Default-on access control for /fhir: every request except the CapabilityStatement needs a valid
 * bearer token (401 otherwise), and its SMART scopes must allow the interaction on each resource
 * type it touches (403 otherwise): r for read/vread/history, s for search, c for create, u for
 * update/patch, d for delete, every entry of a transaction or batch, and per operation (HAPI's admin
 * operations, where turned on, and DELETE with _expunge: the vietfhir/admin scope). Resources
 * of types the scopes do not let the client see are removed from every response (_include,
 * _revinclude, $everything). The purpose of use is settled here too: the X-Purpose-Of-Use header,
 * else the token's, else the client's default; one not registered for the client is refused (403).
 *
 * <p>The public directory ({@link PublicReadPolicy}) is the exception: a GET read, vread or search of a
 * public type needs no token, and a token without a scope on that type is answered as if it had none;
 * such callers get the public view of those resources, and nothing of any other type.
 */
public class AccessControlInterceptor {

	/** RequestDetails user data key of the request's {@link Access}. */
	public static final String ACCESS = AccessControlInterceptor.class.getName() + ".access";
	/**
	 * RequestDetails user data key, set (to TRUE) on a request without a token answered from the public
	 * directory: it touches no patient data, so the audit trail leaves it out.
	 */
	public static final String ANONYMOUS_PUBLIC_READ = AccessControlInterceptor.class.getName() + ".anonymousPublicRead";
	/** Interactions the public directory answers: GET read, vread, search, and the next pages of a search. */
	private static final Set<RestOperationTypeEnum> PUBLIC_READS = Set.of(
			RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD, RestOperationTypeEnum.SEARCH_TYPE,
			RestOperationTypeEnum.GET_PAGE);

	/** Operations that read or compute no patient data: any valid token may call them. */
	private static final Set<String> OPEN_TO_ANY_TOKEN = Set.of(
			"$validate", "$expand", "$lookup", "$validate-code", "$translate", "$subsumes", "$closure");
	/** Operations that change code systems (ours and HAPI's uploaders). */
	private static final Set<String> TERMINOLOGY_ADMIN = Set.of(
			"$import-icd10", "$upload-external-code-system", "$apply-codesystem-delta-add",
			"$apply-codesystem-delta-remove");
	/** Response-only types that are never filtered: they carry no stored data of their own. */
	private static final Set<String> ENVELOPES = Set.of("OperationOutcome", "Parameters");

	/** Who is calling, for which facility and purpose, with which scopes. Later features (audit) read it. */
	public record Access(AccessToken token, String clientId, String facility, String purpose) {}

	private final AccessTokens tokens;
	private final ClientRegistry registry;
	private final ServerUrls urls;
	private final FhirContext fhirContext;
	/** Null when there is no public directory. */
	private final PublicReadPolicy publicRead;

	AccessControlInterceptor(AccessTokens tokens, ClientRegistry registry, ServerUrls urls, FhirContext fhirContext) {
		this(tokens, registry, urls, fhirContext, null);
	}

	AccessControlInterceptor(
			AccessTokens tokens, ClientRegistry registry, ServerUrls urls, FhirContext fhirContext, PublicReadPolicy publicRead) {
		this.tokens = tokens;
		this.registry = registry;
		this.urls = urls;
		this.fhirContext = fhirContext;
		this.publicRead = publicRead;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = RequestPipeline.PreHandled.ACCESS_CONTROL)
	public void authorise(RequestDetails request, RestOperationTypeEnum operation) {
		if (operation == RestOperationTypeEnum.METADATA) {
			return;
		}
		if (request.getHeader("Authorization") == null && isPublicRead(request, operation)) {
			// no scopes at all: the show filter below gives public views of public types and drops the rest
			request.getUserData().put(ANONYMOUS_PUBLIC_READ, Boolean.TRUE);
			request.getUserData().put(ACCESS, new Access(
					new AccessToken(null, null, SmartScopes.parse(List.of()), null, List.of(), null, false, null),
					null, null, null));
			publicRead.checkPublicRequest(request, true);
			return;
		}
		Access access = authenticate(request);
		request.getUserData().put(ACCESS, access);
		checkScopes(request, operation, access.token().scopes());
	}

	/** A GET read, vread or search of a public type (or a further page, whose resources the show filter sorts out). */
	private boolean isPublicRead(RequestDetails request, RestOperationTypeEnum operation) {
		return publicRead != null
				&& request.getRequestType() == ca.uhn.fhir.rest.api.RequestTypeEnum.GET
				&& PUBLIC_READS.contains(operation)
				&& (operation == RestOperationTypeEnum.GET_PAGE || publicRead.isPublicType(request.getResourceName()));
	}

	private Access authenticate(RequestDetails request) {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw unauthorised("A bearer access token is required (SMART Backend Services, see /.well-known/smart-configuration)", null);
		}
		var servletRequest = ((ServletRequestDetails) request).getServletRequest();
		AccessToken token;
		try {
			token = tokens.verify(header.substring(7).trim(), urls.issuer(servletRequest), urls.fhirBase(servletRequest));
		} catch (InvalidTokenException e) {
			throw unauthorised("Invalid access token: " + e.getMessage(), "invalid_token");
		}
		RegisteredClient client = token.clientId() == null ? null : registry.findCached(token.clientId()).orElse(null);
		if (!token.external() && (client == null || !client.enabled())) {
			throw unauthorised("The client of this token is unknown or disabled", "invalid_token");
		}
		if (client != null && !client.enabled()) {
			throw unauthorised("The client of this token is disabled", "invalid_token");
		}
		List<String> allowedPurposes = client != null ? client.purposes() : token.purposes();
		String facility = token.facility() != null ? token.facility() : client != null ? client.facility() : null;
		PurposeOfUse.Settled purpose = PurposeOfUse.settle(
				request.getHeader(PurposeOfUse.HEADER), token.purpose(), allowedPurposes, client != null, token.clientId());
		Access access = new Access(token, token.clientId(), facility, purpose.purpose());
		if (purpose.refusal() != null) {
			throw refusedPurpose(request, access, purpose.refusal());
		}
		return access;
	}

	/** The refused caller is known: kept on the request so the audit trail can name who tried. */
	private static ForbiddenOperationException refusedPurpose(RequestDetails request, Access access, String message) {
		request.getUserData().put(ACCESS, access);
		return Refusals.forbidden(message, null);
	}

	private static AuthenticationException unauthorised(String message, String error) {
		return Refusals.unauthorised(message, error);
	}

	private void checkScopes(RequestDetails request, RestOperationTypeEnum operation, SmartScopes scopes) {
		String type = request.getResourceName();
		if (isPublicRead(request, operation) && operation != RestOperationTypeEnum.GET_PAGE
				&& !scopes.allows(type, operation == RestOperationTypeEnum.SEARCH_TYPE ? 's' : 'r')) {
			// no scope on a public type: answered like a caller without a token (but still audited)
			publicRead.checkPublicRequest(request, false);
			return;
		}
		switch (operation) {
			case READ, VREAD, HISTORY_INSTANCE, HISTORY_TYPE, GET_TAGS, META -> require(scopes, typeOrAll(type), 'r');
			case HISTORY_SYSTEM -> requireAllTypes(scopes, 'r');
			case SEARCH_TYPE -> require(scopes, type, 's');
			case SEARCH_SYSTEM -> checkSystemSearch(request, scopes);
			case CREATE -> require(scopes, type, 'c');
			case UPDATE, PATCH, ADD_TAGS, DELETE_TAGS, META_ADD, META_DELETE, UPDATE_REWRITE_HISTORY -> require(scopes, type, 'u');
			case DELETE -> {
				require(scopes, type, 'd');
				if (request.getParameters().containsKey("_expunge")) {
					requireAdmin(scopes); // delete-expunge erases for good, like $expunge
				}
			}
			case TRANSACTION, BATCH -> checkBundle(request, scopes);
			case VALIDATE -> {} // any valid token
			case GET_PAGE -> {} // the page's resources pass through the show filter below
			case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE ->
					checkOperation(request.getOperation(), type, scopes);
			case GRAPHQL_REQUEST -> requireAllTypes(scopes, 'r');
			default -> requireAllTypes(scopes, 'r');
		}
	}

	private static void checkOperation(String name, String type, SmartScopes scopes) {
		if (name == null || OPEN_TO_ANY_TOKEN.contains(name)) {
			return;
		}
		if (AdminOperations.isAdminOperation(name)) {
			requireAdmin(scopes);
			return;
		}
		if (TERMINOLOGY_ADMIN.contains(name)) {
			require(scopes, "CodeSystem", 'u');
			return;
		}
		switch (name) {
			// the export provider checks read on each type it exports, and that only the job's client
			// polls, downloads or deletes it
			case "$export", "$export-poll-status", "$export-download" -> {}
			// bulk import creates or replaces resources of any type by id (PUT semantics)
			case "$import" -> {
				requireAllTypes(scopes, 'c');
				requireAllTypes(scopes, 'u');
			}
			case "$import-poll-status", "$import-errors" -> requireAllTypes(scopes, 'c');
			// claim XML: the provider checks each episode's transaction entries (checkTransactionEntries); its jobs are shown to their client alone
			case "$import-claim-xml", "$import-claim-xml-status", "$import-claim-xml-errors" -> {}
			// claim XML out: read on the Encounter here; the provider requires read on every type it writes out (requireRead)
			case "$claim-xml" -> require(scopes, "Encounter", 'r');
			case "$meta-add", "$meta-delete" -> require(scopes, typeOrAll(type), 'u');
			// statistics (reporting): read on MeasureReport, whatever the type they start from; the provider checks PUBHLTH
			case "$evaluate-measure" -> require(scopes, "MeasureReport", 'r');
			// identity: merging records rewrites many resources at once; a reviewer's scope, not write
			case "$merge", "$unmerge", "$duplicates", "$not-duplicate" -> requireMerge(scopes);
			// $everything, $summary, $meta and the rest: read on the type they start from; what they
			// return of other types is filtered by the show hook below
			default -> require(scopes, typeOrAll(type), 'r');
		}
	}

	private void checkSystemSearch(RequestDetails request, SmartScopes scopes) {
		String[] types = request.getParameters().get("_type");
		if (types == null || types.length == 0) {
			requireAllTypes(scopes, 's');
			return;
		}
		for (String list : types) {
			for (String t : list.split(",")) {
				require(scopes, t.trim(), 's');
			}
		}
	}

	/** Each entry of a transaction or batch is checked as if it came alone. */
	private void checkBundle(RequestDetails request, SmartScopes scopes) {
		// HAPI has parsed the body before this hook: use that Bundle rather than parse it a second time
		if (request.getResource() instanceof Bundle parsed) {
			checkEntries(parsed, scopes);
			return;
		}
		byte[] body = request.loadRequestContents();
		String contentType = request.getHeader("Content-Type");
		EncodingEnum encoding = contentType == null ? null : EncodingEnum.forContentType(contentType);
		Bundle bundle;
		try {
			String text = new String(body, StandardCharsets.UTF_8);
			bundle = (encoding == EncodingEnum.XML ? fhirContext.newXmlParser() : fhirContext.newJsonParser())
					.parseResource(Bundle.class, text);
		} catch (DataFormatException | ClassCastException e) {
			throw new InvalidRequestException("The transaction or batch bundle does not parse: " + e.getMessage());
		}
		checkEntries(bundle, scopes);
	}

	/**
	 * For an operation that builds transactions of its own (claim XML import): each entry is checked
	 * against the caller's scopes as if the transaction had been posted. No access on the request
	 * (security off, internal work): nothing to check.
	 */
	public static void checkTransactionEntries(RequestDetails request, Bundle transaction) {
		Access access = request == null ? null : (Access) request.getUserData().get(ACCESS);
		if (access != null) {
			checkEntries(transaction, access.token().scopes());
		}
	}

	private static void checkEntries(Bundle bundle, SmartScopes scopes) {
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			Bundle.BundleEntryRequestComponent req = entry.getRequest();
			if (req.getMethod() == null || req.getUrl() == null) {
				continue; // HAPI refuses such entries itself
			}
			String url = req.getUrl();
			int query = url.indexOf('?');
			String path = query >= 0 ? url.substring(0, query) : url;
			String[] parts = path.replaceFirst("^/", "").split("/");
			String entryType = parts[0];
			boolean isOperation = java.util.Arrays.stream(parts).anyMatch(p -> p.startsWith("$"));
			if (entryType.startsWith("$")) {
				checkOperation(entryType, null, scopes);
				continue;
			}
			if (isOperation) {
				String op = java.util.Arrays.stream(parts).filter(p -> p.startsWith("$")).findFirst().orElseThrow();
				checkOperation(op, entryType, scopes);
				continue;
			}
			switch (req.getMethod()) {
				case GET, HEAD -> require(scopes, entryType, parts.length == 1 ? 's' : 'r');
				case POST -> require(scopes, entryType, parts.length > 1 && parts[1].equals("_search") ? 's' : 'c');
				case PUT, PATCH -> require(scopes, entryType, 'u');
				case DELETE -> require(scopes, entryType, 'd');
				default -> require(scopes, entryType, 'r');
			}
		}
	}

	private static String typeOrAll(String type) {
		return type == null ? "*" : type;
	}

	private static void require(SmartScopes scopes, String type, char permission) {
		boolean allowed = type.equals("*") ? scopes.allowsAllTypes(permission) : scopes.allows(type, permission);
		if (!allowed) {
			String needed = "system/" + type + "." + permission;
			throw Refusals.forbidden("The token's scopes do not allow this: it needs " + needed, needed);
		}
	}

	/** HAPI's admin operations, where turned on (rest/AdminOperations), are for the admin scope alone. */
	private static void requireAdmin(SmartScopes scopes) {
		if (!scopes.has(SmartScopes.ADMIN)) {
			throw new ForbiddenOperationException("Thao tác quản trị chỉ dành cho phạm vi " + SmartScopes.ADMIN
					+ " / Admin operations need the scope " + SmartScopes.ADMIN);
		}
	}

	private static void requireMerge(SmartScopes scopes) {
		if (!scopes.has(SmartScopes.PATIENT_MERGE) && !scopes.has(SmartScopes.ADMIN)) {
			throw Refusals.forbidden("Gộp hồ sơ cần phạm vi " + SmartScopes.PATIENT_MERGE + " hoặc " + SmartScopes.ADMIN
					+ " / Merging records needs the scope " + SmartScopes.PATIENT_MERGE + " or " + SmartScopes.ADMIN,
					SmartScopes.PATIENT_MERGE);
		}
	}

	/**
	 * For an operation that answers with records of several types in a form of its own (claim XML out),
	 * where the show filter cannot drop what the caller may not see: read access on each type, as a
	 * direct read of each would need (403 naming the scope missing). No access on the request: nothing to check.
	 */
	public static void requireRead(RequestDetails request, java.util.Collection<String> types) {
		Access access = request == null ? null : (Access) request.getUserData().get(ACCESS);
		if (access != null) {
			new java.util.TreeSet<>(types).forEach(type -> require(access.token().scopes(), type, 'r'));
		}
	}

	private static void requireAllTypes(SmartScopes scopes, char permission) {
		require(scopes, "*", permission);
	}

	/**
	 * Whether the caller of this request may be shown resources of this type (read or search scope on
	 * it); always true when the request carries no access (security off, internal work), as then the
	 * show filter below lets everything through too. For features that read outside HAPI's search
	 * and want to leave out up front what the filter would drop.
	 */
	public static boolean mayShow(RequestDetails request, String type) {
		Access access = request == null ? null : (Access) request.getUserData().get(ACCESS);
		return access == null || access.token().scopes().allowsShowing(type);
	}

	/**
	 * Removes from a response every resource whose type the client may neither read nor search, so
	 * _include, _revinclude and operations cannot carry out what a direct read would refuse. A write's
	 * echo of the resource just written stays. Resources of public directory types the client has no
	 * scope for are shown in their public view instead.
	 */
	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = RequestPipeline.Preshow.ACCESS_CONTROL)
	public void filterShown(IPreResourceShowDetails details, RequestDetails request) {
		Access access = request == null ? null : (Access) request.getUserData().get(ACCESS);
		if (access == null) {
			return; // internal work (batch jobs, startup) or an open endpoint
		}
		SmartScopes scopes = access.token().scopes();
		RestOperationTypeEnum operation = request.getRestOperationType();
		boolean write = operation == RestOperationTypeEnum.CREATE
				|| operation == RestOperationTypeEnum.UPDATE
				|| operation == RestOperationTypeEnum.PATCH
				|| operation == RestOperationTypeEnum.TRANSACTION
				|| operation == RestOperationTypeEnum.BATCH;
		for (int i = 0; i < details.size(); i++) {
			IBaseResource resource = details.getResource(i);
			if (resource == null) {
				continue;
			}
			String type = fhirContext.getResourceType(resource);
			boolean visible = ENVELOPES.contains(type)
					|| scopes.allowsShowing(type)
					|| (write && (scopes.allows(type, 'c') || scopes.allows(type, 'u')));
			if (!visible) {
				details.setResource(i, publicRead != null && publicRead.isPublicType(type) ? publicRead.publicView(resource) : null);
			}
		}
	}
}
