package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Validates every create, update and patch (also each entry of a transaction or batch, since those
 * go through the same storage hooks) against the guide's profile for its type, declared or not,
 * and against any profile the resource declares. Enforce: errors refuse the write with 422 and an
 * OperationOutcome listing each error with its location and rule; nothing is stored and a failing
 * transaction entry rolls back the whole bundle. Warn: stored, issues reported back.
 */
@Interceptor
public class ProfileEnforcingInterceptor {

	static final String ISSUES_KEY = ProfileEnforcingInterceptor.class.getName() + ".issues";
	static final String VALIDATED_KEY = ProfileEnforcingInterceptor.class.getName() + ".validated";
	private static final Pattern ENTRY_INDEX = Pattern.compile("^Bundle\\.entry\\[(\\d+)\\]\\.resource");
	static final String ISSUES_HEADER = "X-Validation-Issues";
	/**
	 * Entries per validator call on a transaction: large enough to share the call's set-up, small
	 * enough that the validator's scans of its Bundle stay cheap (measured: BundleSizeBenchmark).
	 */
	static final int ENTRIES_PER_CALL = 50;

	private final FhirContext fhirContext;
	private final FhirValidator validator;
	private final Map<String, String> profileByType;
	private final ValidationSettings settings;
	/** Counted for /actuator/prometheus (package observability). */
	private final ServerMetrics metrics;
	/** Validates the chunks of big transactions, a thread per core, shared by all requests. */
	private final ExecutorService validationPool;
	/** Proves entries conformant without the HL7 validator; null when vietfhir.validation.compiled-checks is off. */
	private final CompiledConformance compiledChecks;

	ProfileEnforcingInterceptor(
			FhirContext fhirContext,
			IValidatorModule instanceValidator,
			Map<String, String> profileByType,
			ValidationSettings settings,
			ServerMetrics metrics,
			CompiledConformance compiledChecks) {
		this.metrics = metrics;
		this.compiledChecks = settings.compiledChecks() ? compiledChecks : null;
		this.fhirContext = fhirContext;
		this.validator = fhirContext.newValidator();
		this.validator.registerValidatorModule(instanceValidator);
		this.profileByType = profileByType;
		this.settings = settings;
		this.validationPool = Executors.newFixedThreadPool(
				Runtime.getRuntime().availableProcessors(), validationThreads());
	}

	private static ThreadFactory validationThreads() {
		AtomicInteger count = new AtomicInteger();
		return task -> {
			Thread thread = new Thread(task, "vietfhir-validation-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** Called by Spring when the server stops. */
	public void close() {
		validationPool.shutdownNow();
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = RequestPipeline.Prestorage.PROFILE_ENFORCING)
	public void beforeCreate(IBaseResource resource, RequestDetails request) {
		check(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = RequestPipeline.Prestorage.PROFILE_ENFORCING)
	public void beforeUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		check(resource, request);
	}

	/**
	 * A transaction is validated before HAPI stores anything, in chunks of {@value #ENTRIES_PER_CALL}
	 * entries (each tagged with its guide profile, with the entries it refers to beside it), on a
	 * small pool shared by all requests: the HL7 validator costs a set-up per call, which chunks
	 * share, and the square of the Bundle it is given, which a fixed chunk size keeps constant per
	 * entry (see {@link BundleChunks}). The entries then skip the per-resource check. Batches keep
	 * per-entry checks: their entries fail on their own.
	 */
	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = RequestPipeline.PreHandled.PROFILE_ENFORCING)
	public void beforeTransaction(RequestDetails request, RestOperationTypeEnum operation) {
		if (operation != RestOperationTypeEnum.TRANSACTION || !(request.getResource() instanceof Bundle bundle)) {
			return;
		}
		List<int[]> references = ReferenceChains.edges(fhirContext, bundle);
		refuseDeepReferenceChains(references);
		List<IBaseResource> entries = bundle.getEntry().stream().<IBaseResource>map(Bundle.BundleEntryComponent::getResource).toList();
		if (entries.stream().noneMatch(this::needsValidation)) {
			// off means off: a bundle whose entries are all in off mode (or unprofiled) costs no validator call
			markValidated(request, entries);
			return;
		}
		metrics.validationRun("transaction");
		BundleCheck check = checkBundle(bundle, references);
		if (!check.errors().isEmpty()) {
			metrics.validationRefused("Bundle");
			throw new UnprocessableEntityException(fhirContext, refusal("Transaction Bundle", "the guide's profiles", check.errors()));
		}
		issues(request).addAll(check.reported());
		markValidated(request, entries);
	}

	/** Whether the guide (or the resource itself) names a profile for it and its type is not in off mode. */
	private boolean needsValidation(IBaseResource resource) {
		if (resource == null) {
			return false;
		}
		String type = fhirContext.getResourceType(resource);
		return settings.modeFor(type) != ValidationMode.OFF
				&& (profileByType.containsKey(type) || !resource.getMeta().getProfile().isEmpty());
	}

	/**
	 * A profile the resource declares that we do not have (US Core on Synthea data, VN Core's) is not the
	 * data's fault: it is validated against ours, and the unknown profile is reported as a warning.
	 */
	private static boolean isError(SingleValidationMessage message) {
		if (message.getSeverity().ordinal() < ResultSeverityEnum.ERROR.ordinal()) {
			return false;
		}
		String id = message.getMessageId();
		return id == null || !id.startsWith("VALIDATION_VAL_PROFILE_UNKNOWN");
	}

	private void refuseDeepReferenceChains(List<int[]> references) {
		int chain = ReferenceChains.longest(references);
		if (chain > settings.maxReferenceChain()) {
			String message = "Chuỗi tham chiếu giữa các mục quá dài / Transaction Bundle: " + chain
					+ " entries refer to one another in a chain, at most " + settings.maxReferenceChain()
					+ " are allowed (vietfhir.validation.max-reference-chain); send the chain in several transactions";
			throw new InvalidRequestException(message, OperationOutcomes.error("too-costly", message));
		}
	}

	/**
	 * For writers that store a transaction Bundle without a /fhir request (bulk import): validates it
	 * as {@link #beforeTransaction} does, and returns the errors that refuse each entry
	 * (by entry index; locations as in the Bundle). The entries without errors are
	 * marked on {@code request} so the per-resource storage hook does not validate them again.
	 */
	public Map<Integer, List<SingleValidationMessage>> validateEntries(Bundle bundle, RequestDetails request) {
		BundleCheck check = checkBundle(bundle, ReferenceChains.edges(fhirContext, bundle));
		List<IBaseResource> valid = new ArrayList<>();
		for (int i = 0; i < bundle.getEntry().size(); i++) {
			if (!check.errorsByEntry().containsKey(i)) {
				valid.add(bundle.getEntry().get(i).getResource());
			}
		}
		markValidated(request, valid);
		return check.errorsByEntry();
	}

	/** Errors (in enforce mode) and reported issues of a transaction Bundle's entries. */
	private record BundleCheck(
			List<SingleValidationMessage> errors,
			Map<Integer, List<SingleValidationMessage>> errorsByEntry,
			List<SingleValidationMessage> reported) {}

	private BundleCheck checkBundle(Bundle bundle, List<int[]> references) {
		BitSet toValidate = new BitSet(bundle.getEntry().size());
		for (int i = 0; i < bundle.getEntry().size(); i++) {
			Resource resource = bundle.getEntry().get(i).getResource();
			// off-mode entries are not validated; unprofiled ones are, against the base specification
			if (resource != null && settings.modeFor(resource.fhirType()) != ValidationMode.OFF) {
				toValidate.set(i);
			}
		}
		proveConformant(bundle, toValidate);
		List<SingleValidationMessage> errors = new ArrayList<>();
		Map<Integer, List<SingleValidationMessage>> errorsByEntry = new TreeMap<>();
		List<SingleValidationMessage> reported = new ArrayList<>();
		for (SingleValidationMessage message : validateInChunks(bundle, BundleChunks.of(references, toValidate, ENTRIES_PER_CALL))) {
			Integer index = entryIndex(bundle, message.getLocationString());
			if (index == null) {
				continue; // about the Bundle envelope, which HAPI's transaction processing checks itself
			}
			ValidationMode mode = settings.modeFor(bundle.getEntry().get(index).getResource().fhirType());
			boolean isError = isError(message);
			boolean isWarning = message.getSeverity().ordinal() >= ResultSeverityEnum.WARNING.ordinal();
			if (mode == ValidationMode.ENFORCE && isError) {
				errors.add(message);
				errorsByEntry.computeIfAbsent(index, k -> new ArrayList<>()).add(message);
			} else if (mode != ValidationMode.OFF && isWarning) {
				reported.add(message);
			}
		}
		return new BundleCheck(errors, errorsByEntry, reported);
	}

	/**
	 * Takes out of {@code toValidate} the entries the compiled checks prove conformant to their guide
	 * profile and declared profiles (see {@link CompiledConformance#proveEntries}); the rest, and every
	 * entry with an error, go to the HL7 validator. Proven entries stay context for the chunks that refer to them.
	 */
	private void proveConformant(Bundle bundle, BitSet toValidate) {
		if (compiledChecks != null && !toValidate.isEmpty()) {
			metrics.validationProven(compiledChecks.proveEntries(bundle, toValidate, this::profilesOf));
		}
	}

	/** The guide's profile for the resource's type, then the profiles it declares that the server knows. */
	private List<String> profilesOf(Resource resource) {
		List<String> urls = new ArrayList<>(2);
		String guide = profileByType.get(resource.fhirType());
		if (guide != null) {
			urls.add(guide);
		}
		for (var declared : resource.getMeta().getProfile()) {
			String url = declared.getValue();
			if (url != null && !urls.contains(url) && compiledChecks.knows(url)) {
				urls.add(url);
			}
		}
		return urls;
	}

	/** The messages about the chunks' own entries, located in the original Bundle, in entry order. */
	private List<SingleValidationMessage> validateInChunks(Bundle bundle, List<BundleChunks.Chunk> chunks) {
		List<Callable<List<SingleValidationMessage>>> calls =
				chunks.stream().<Callable<List<SingleValidationMessage>>>map(chunk -> () -> validateChunk(bundle, chunk)).toList();
		List<SingleValidationMessage> messages = new ArrayList<>();
		try {
			if (calls.size() == 1) {
				return calls.get(0).call(); // one chunk: no hand-over to the pool
			}
			for (Future<List<SingleValidationMessage>> done : validationPool.invokeAll(calls)) {
				messages.addAll(done.get());
			}
		} catch (ExecutionException e) {
			throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Validation interrupted", e);
		} catch (Exception e) {
			throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
		}
		return messages;
	}

	/**
	 * One validator call: the chunk's entries (copies, tagged with their guide profile; a fullUrl where
	 * the POST entry has none, or the validator faults the envelope) then its context; the messages
	 * about its own entries, relocated from Bundle.entry[n] of the chunk to Bundle.entry[i] of the Bundle.
	 */
	private List<SingleValidationMessage> validateChunk(Bundle bundle, BundleChunks.Chunk chunk) {
		Bundle part = new Bundle().setType(bundle.getType());
		int size = chunk.own().length + chunk.context().length;
		for (int n = 0; n < size; n++) {
			Bundle.BundleEntryComponent entry = bundle.getEntry().get(chunk.bundleIndex(n)).copy();
			if (!entry.hasFullUrl()) {
				entry.setFullUrl("urn:uuid:" + UUID.randomUUID());
			}
			tagWithGuideProfile(entry.getResource());
			part.addEntry(entry);
		}
		List<SingleValidationMessage> messages = new ArrayList<>();
		ValidationOptions options = new ValidationOptions().addProfile(TransactionEntriesProfile.URL);
		List<SingleValidationMessage> found = validator.validateWithResult(part, options).getMessages();
		if (found.stream().anyMatch(PooledInstanceValidator::isFault)) {
			return faulted(bundle, chunk, found);
		}
		for (SingleValidationMessage message : found) {
			Matcher entry = ENTRY_INDEX.matcher(message.getLocationString() == null ? "" : message.getLocationString());
			if (entry.find() && Integer.parseInt(entry.group(1)) < chunk.own().length) {
				int index = chunk.own()[Integer.parseInt(entry.group(1))];
				message.setLocationString("Bundle.entry[" + index + "]" + message.getLocationString().substring(entry.end(1) + 1));
				messages.add(message);
			}
		}
		return messages;
	}

	/**
	 * The HL7 validator failed on a chunk: each of its entries again on its own (with the rest of the
	 * chunk as context), so the failure refuses the entry it is about, located by its index, and the
	 * others are validated as usual.
	 */
	private List<SingleValidationMessage> faulted(Bundle bundle, BundleChunks.Chunk chunk, List<SingleValidationMessage> found) {
		if (chunk.own().length == 1) {
			SingleValidationMessage fault = found.stream().filter(PooledInstanceValidator::isFault).findFirst().orElseThrow();
			fault.setLocationString("Bundle.entry[" + chunk.own()[0] + "].resource");
			return List.of(fault);
		}
		List<SingleValidationMessage> messages = new ArrayList<>();
		for (int n = 0; n < chunk.own().length; n++) {
			int[] context = new int[chunk.own().length - 1 + chunk.context().length];
			int at = 0;
			for (int other = 0; other < chunk.own().length; other++) {
				if (other != n) {
					context[at++] = chunk.own()[other];
				}
			}
			System.arraycopy(chunk.context(), 0, context, at, chunk.context().length);
			messages.addAll(validateChunk(bundle, new BundleChunks.Chunk(new int[] {chunk.own()[n]}, context)));
		}
		return messages;
	}

	private void tagWithGuideProfile(Resource resource) {
		if (resource != null) {
			String profile = profileByType.get(resource.fhirType());
			boolean declared = resource.getMeta().getProfile().stream().anyMatch(p -> p.getValueAsString().equals(profile));
			if (profile != null && !declared) {
				resource.getMeta().addProfile(profile);
			}
		}
	}

	/** Marks resources validated already (as a whole chunk) so the per-resource storage hook skips them on this request. */
	public static void markValidated(RequestDetails request, List<? extends IBaseResource> resources) {
		Set<IBaseResource> validated = Collections.newSetFromMap(new IdentityHashMap<>());
		resources.stream().filter(Objects::nonNull).forEach(validated::add);
		request.getUserData().put(VALIDATED_KEY, validated);
	}

	/** The index of the entry whose resource a message is about, or null when it is not about a stored resource. */
	private static Integer entryIndex(Bundle bundle, String location) {
		Matcher entry = ENTRY_INDEX.matcher(location == null ? "" : location);
		if (entry.find()) {
			int index = Integer.parseInt(entry.group(1));
			if (index < bundle.getEntry().size() && bundle.getEntry().get(index).getResource() != null) {
				return index;
			}
		}
		return null;
	}

	void check(IBaseResource resource, RequestDetails request) {
		if (request != null && request.getUserData().get(VALIDATED_KEY) instanceof Set<?> validated
				&& validated.contains(resource)) {
			return;
		}
		String type = fhirContext.getResourceType(resource);
		ValidationMode mode = settings.modeFor(type);
		String profile = profileByType.get(type);
		boolean declaresProfiles = !resource.getMeta().getProfile().isEmpty();
		if (mode == ValidationMode.OFF || (profile == null && !declaresProfiles)) {
			return;
		}
		ValidationOptions options = new ValidationOptions();
		boolean declaresGuideProfile =
				resource.getMeta().getProfile().stream().anyMatch(p -> p.getValueAsString().equals(profile));
		if (profile != null && !declaresGuideProfile) {
			options.addProfile(profile);
		}
		metrics.validationRun("resource");
		ValidationResult result = validator.validateWithResult(resource, options);
		List<SingleValidationMessage> errors = result.getMessages().stream()
				.filter(ProfileEnforcingInterceptor::isError)
				.toList();
		if (mode == ValidationMode.ENFORCE && !errors.isEmpty()) {
			metrics.validationRefused(type);
			throw new UnprocessableEntityException(
					fhirContext, refusal(type, profile != null ? profile : "its declared profiles", errors));
		}
		List<SingleValidationMessage> reported = result.getMessages().stream()
				.filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.WARNING.ordinal())
				.toList();
		if (!reported.isEmpty() && request != null) {
			issues(request).addAll(reported);
		}
	}

	private OperationOutcome refusal(String what, String against, List<SingleValidationMessage> errors) {
		OperationOutcome outcome = (OperationOutcome) new ValidationResult(fhirContext, errors).toOperationOutcome();
		outcome.getIssue().add(0, new OperationOutcome.OperationOutcomeIssueComponent()
				.setSeverity(OperationOutcome.IssueSeverity.ERROR)
				.setCode(OperationOutcome.IssueType.PROCESSING)
				.setDiagnostics(what + " does not conform to " + against + ": " + errors.size()
						+ " error(s), nothing was stored"));
		return outcome;
	}

	@SuppressWarnings("unchecked")
	private static List<SingleValidationMessage> issues(RequestDetails request) {
		return (List<SingleValidationMessage>) request.getUserData().computeIfAbsent(ISSUES_KEY, k -> new ArrayList<>());
	}

	/** In warn mode (and for warnings in enforce mode): the count in a header, the issues in a returned OperationOutcome. */
	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = RequestPipeline.OutgoingResponse.PROFILE_ENFORCING)
	public void reportIssues(RequestDetails request, ResponseDetails response, HttpServletResponse servletResponse) {
		Object stored = request.getUserData().get(ISSUES_KEY);
		if (!(stored instanceof List<?> list) || list.isEmpty()) {
			return;
		}
		List<SingleValidationMessage> messages = issues(request);
		if (servletResponse != null) {
			servletResponse.setHeader(ISSUES_HEADER, String.valueOf(messages.size()));
		}
		if (response.getResponseResource() instanceof OperationOutcome outcome) {
			OperationOutcome validation = (OperationOutcome) new ValidationResult(fhirContext, messages).toOperationOutcome();
			outcome.getIssue().addAll(validation.getIssue());
		}
	}
}
