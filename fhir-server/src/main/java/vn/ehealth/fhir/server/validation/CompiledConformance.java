package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a resource against profiles compiled from their snapshots ({@link CompiledProfile}): the
 * cardinality, types, fixed and pattern values, slices, required bindings, codes of known code
 * systems, reference targets and error invariants the HL7 validator checks, walking the parsed
 * resource instead of re-serialising it. It only ever proves conformance: anything it finds wrong,
 * and anything it does not model (contained resources, narrative, modifier extensions, a slicing by
 * type, an unresolvable reference, an unknown code system under a required binding), makes it
 * answer with a reason instead, and that resource goes to the HL7 validator, whose messages are the
 * ones a client sees. Warnings (best practice, narrative, displays, codes outside an extensible
 * value set) are the HL7 validator's alone: a resource proven here gets none.
 */
final class CompiledConformance {

	private static final Logger LOG = LoggerFactory.getLogger(CompiledConformance.class);

	private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";
	private static final String REGEX = "regex";
	private static final Pattern OID = Pattern.compile("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+");
	private static final Pattern UUID_URN = Pattern.compile(
			"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
	private static final Pattern TIME_ZONE = Pattern.compile("(Z|[+-]\\d{2}:\\d{2})$");
	private static final Pattern FULL_DATE = Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2})");
	/**
	 * Resource types the walk is trusted with: the HL7 validator has no special rules for them beyond
	 * their definitions (it has for Bundle, Questionnaire(Response), the conformance resources...).
	 */
	static final Set<String> CHECKED_TYPES = Set.of(
			"AllergyIntolerance", "Appointment", "CarePlan", "CareTeam", "Claim", "ClaimResponse", "Condition",
			"Coverage", "Device", "DiagnosticReport", "DocumentReference", "Encounter", "EpisodeOfCare",
			"ExplanationOfBenefit", "FamilyMemberHistory", "Flag", "Goal", "ImagingStudy", "Immunization",
			"Location", "Medication", "MedicationAdministration", "MedicationDispense", "MedicationRequest",
			"MedicationStatement", "Observation", "Organization", "Patient", "Practitioner", "PractitionerRole",
			"Procedure", "RelatedPerson", "ServiceRequest", "Specimen", "SupplyDelivery");

	private final FhirContext fhirContext;
	private final IValidationSupport support;
	/** The guide's profile per resource type: a reference target of that type is validated against it as its own entry. */
	private final Map<String, String> profileByType;
	/** Compiled profiles by URL, for a minute (a profile stored meanwhile is then seen); empty when there is none to compile. */
	private final Cache<String, Optional<CompiledProfile>> profiles =
			Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(2_000).build();
	/** Verdicts of the terminology chain ("system|code|valueSet" → valid or not decided), for a minute. */
	private final Cache<String, Boolean> codes =
			Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();
	/** Whether the chain has a definition at a URL (asked for every declared profile and unknown extension), for a minute. */
	private final Cache<String, Boolean> known =
			Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(2_000).build();
	private final Cache<String, Optional<Pattern>> primitiveFormats = Caffeine.newBuilder().maximumSize(100).build();
	/** FHIRPath engines are not shared between threads; building one reads every definition once. */
	private final ThreadLocal<FHIRPathEngine> fhirPath;

	CompiledConformance(FhirContext fhirContext, IValidationSupport support, Map<String, String> profileByType) {
		this.fhirContext = fhirContext;
		this.support = support;
		this.profileByType = profileByType;
		HapiWorkerContext worker = new HapiWorkerContext(fhirContext, support);
		this.fhirPath = ThreadLocal.withInitial(() -> new FHIRPathEngine(worker));
	}

	/** The entries of a Bundle other entries refer to, by fullUrl; and which of them are validated on their own. */
	record BundleContext(Map<String, Resource> byFullUrl, Map<String, Resource> byTypeAndId, Predicate<Resource> validatedOnItsOwn) {

		static final BundleContext NONE = new BundleContext(Map.of(), Map.of(), resource -> false);
	}

	/** Where an element is: its path in the definition walked and its type, for the contexts of extensions. */
	private record Holder(String path, String type) {}

	/**
	 * Null when the resource is proven to conform to each profile (its type's base definition when
	 * none is given); otherwise why it is not proven (a breach, or something left to the HL7 validator).
	 */
	String unproven(Resource resource, List<String> profileUrls, BundleContext bundle) {
		return unproven(resource, profileUrls, bundle, new ArrayList<>());
	}

	/**
	 * As {@link #unproven(Resource, List, BundleContext)}, adding to {@code targets} the entries of the
	 * Bundle its references resolve to: its proof holds only if theirs do (the HL7 validator checks a
	 * target in the Bundle against the reference's target profile).
	 */
	String unproven(Resource resource, List<String> profileUrls, BundleContext bundle, List<Resource> targets) {
		String type = resource.fhirType();
		if (!CHECKED_TYPES.contains(type)) {
			return "resource type " + type + " has rules beyond its definition";
		}
		if (resource instanceof DomainResource domain && domain.hasContained()) {
			return "contained resources";
		}
		List<String> urls = profileUrls.isEmpty() ? List.of(CORE + type) : profileUrls;
		Walk walk = new Walk(resource, bundle, targets);
		for (String url : urls) {
			CompiledProfile profile = profile(url);
			if (profile == null) {
				return "profile " + url + " cannot be compiled";
			}
			if (!profile.type.equals(type)) {
				return "profile " + url + " is for " + profile.type;
			}
			String why = walk.conforms(resource, profile.root, new Holder(type, type));
			if (why != null) {
				return why;
			}
		}
		return null;
	}

	/**
	 * Proves what it can of a Bundle's entries (those set in {@code toValidate}, each against the
	 * profiles {@code profiles} gives it) and clears them from {@code toValidate}; returns how many. A
	 * proof holds only if the entries it refers to are proven too: the HL7 validator checks a target in
	 * the Bundle against the reference's profile and reports what it finds at the referring entry.
	 */
	int proveEntries(Bundle bundle, BitSet toValidate, Function<Resource, List<String>> profiles) {
		Map<String, Resource> byFullUrl = new HashMap<>();
		Map<String, Resource> byTypeAndId = new HashMap<>();
		Set<Resource> validated = Collections.newSetFromMap(new IdentityHashMap<>());
		for (int i = 0; i < bundle.getEntry().size(); i++) {
			Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
			Resource resource = entry.getResource();
			if (resource == null) {
				continue;
			}
			if (entry.hasFullUrl()) {
				byFullUrl.put(entry.getFullUrl(), resource);
			}
			if (resource.getIdElement().hasIdPart()) {
				byTypeAndId.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
			}
			if (toValidate.get(i)) {
				validated.add(resource);
			}
		}
		BundleContext context = new BundleContext(byFullUrl, byTypeAndId, validated::contains);
		Map<Integer, List<Resource>> targetsOfProven = new HashMap<>();
		Set<Resource> unproven = Collections.newSetFromMap(new IdentityHashMap<>());
		for (int i = toValidate.nextSetBit(0); i >= 0; i = toValidate.nextSetBit(i + 1)) {
			Resource resource = bundle.getEntry().get(i).getResource();
			List<Resource> targets = new ArrayList<>();
			String why = unproven(resource, profiles.apply(resource), context, targets);
			if (why == null) {
				targetsOfProven.put(i, targets);
			} else {
				unproven.add(resource);
				LOG.debug("Bundle.entry[{}] left to the HL7 validator: {}", i, why);
			}
		}
		for (boolean changed = true; changed; ) {
			changed = false;
			for (var proof = targetsOfProven.entrySet().iterator(); proof.hasNext(); ) {
				var entry = proof.next();
				if (entry.getValue().stream().anyMatch(unproven::contains)) {
					unproven.add(bundle.getEntry().get(entry.getKey()).getResource());
					proof.remove();
					changed = true;
				}
			}
		}
		targetsOfProven.keySet().forEach(toValidate::clear);
		return targetsOfProven.size();
	}

	/** Whether the support chain knows this profile (a declared profile it does not know is a warning, never a check here). */
	boolean knows(String url) {
		return known.get(url, u -> support.fetchStructureDefinition(u) != null);
	}

	CompiledProfile profile(String url) {
		return profiles.get(url, this::compile).orElse(null);
	}

	private Optional<CompiledProfile> compile(String url) {
		if (!(support.fetchStructureDefinition(url) instanceof StructureDefinition definition)) {
			return Optional.empty();
		}
		try {
			FHIRPathEngine engine = fhirPath.get();
			return Optional.of(CompiledProfile.compile(definition, expression -> {
				try {
					return engine.parse(expression);
				} catch (RuntimeException e) {
					return null;
				}
			}));
		} catch (IllegalArgumentException e) {
			return Optional.empty();
		}
	}

	/** One resource's walk. */
	private final class Walk {
		private final Resource resource;
		private final BundleContext bundle;
		private final List<Resource> targets;

		Walk(Resource resource, BundleContext bundle, List<Resource> targets) {
			this.resource = resource;
			this.bundle = bundle;
			this.targets = targets;
		}

		/** A value against a rule (its own constraints, then its children): null when it conforms. */
		String conforms(Base value, CompiledProfile.Rule rule, Holder holder) {
			if (rule.unsupported != null) {
				return rule.path + ": " + rule.unsupported;
			}
			if (value != resource && value instanceof Resource) {
				return rule.path + ": a resource inside a resource";
			}
			String fhirType = value.fhirType();
			CompiledProfile.TypeRule type = rule.typeFor(fhirType);
			if (type == null && !(rule.hasChildren() && value instanceof org.hl7.fhir.r4.model.BackboneElement)
					&& value != resource) {
				return rule.path + ": type " + fhirType + " not allowed";
			}
			if (value instanceof org.hl7.fhir.r4.model.BackboneElement backbone && backbone.hasModifierExtension()
					|| value instanceof DomainResource domain && domain.hasModifierExtension()) {
				return rule.path + ": modifier extensions";
			}
			String why = fixedAndPattern(value, rule);
			if (why == null) {
				why = value instanceof PrimitiveType<?> primitive ? primitive(primitive, rule, fhirType) : null;
			}
			if (why == null) {
				why = binding(value, rule);
			}
			if (why == null) {
				why = datatype(value, rule, type);
			}
			if (why == null) {
				why = invariants(value, rule);
			}
			if (why != null) {
				return why;
			}
			if (type != null && !type.profiles().isEmpty()) {
				for (String url : type.profiles()) {
					CompiledProfile profile = profile(url);
					if (profile == null) {
						return rule.path + ": profile " + url + " cannot be compiled";
					}
					why = againstProfile(value, profile, holder);
					if (why != null) {
						return why;
					}
				}
			} else if (!rule.hasChildren() && !(value instanceof PrimitiveType<?>) && value != resource) {
				if (value instanceof Extension extension) {
					return extension(extension, holder, rule);
				}
				CompiledProfile base = profile(CORE + fhirType);
				if (base == null) {
					return rule.path + ": no definition of " + fhirType;
				}
				return againstProfile(value, base, holder);
			}
			if (value instanceof PrimitiveType<?> primitive && primitive.hasExtension()) {
				for (Extension extension : primitive.getExtension()) {
					why = extension(extension, new Holder(rule.path, fhirType), null);
					if (why != null) {
						return why;
					}
				}
			}
			return rule.hasChildren() ? children(value, rule) : null;
		}

		/** A value against a profile of its type (an extension definition, SimpleQuantity, a datatype's base). */
		private String againstProfile(Base value, CompiledProfile profile, Holder holder) {
			if ("Extension".equals(profile.type) && !CORE.concat("Extension").equals(profile.url)) {
				String why = extensionContext(profile, holder);
				if (why != null) {
					return why;
				}
			}
			CompiledProfile.Rule root = profile.root;
			if (root.unsupported != null) {
				return root.path + ": " + root.unsupported;
			}
			String why = invariants(value, root);
			return why != null ? why : children(value, root);
		}

		/** Each child rule: cardinality, slices, then each value. */
		private String children(Base parent, CompiledProfile.Rule rule) {
			Holder holder = new Holder(rule.path, parent.fhirType());
			for (CompiledProfile.Rule child : rule.children.values()) {
				if (parent instanceof Narrative narrative && child.name.equals("div")) {
					String why = NarrativeXhtml.unproven(narrative.getDiv());
					if (why != null) {
						return child.path + ": " + why;
					}
					continue;
				}
				Base[] values = values(parent, child.name);
				if (values == null) {
					return child.path + ": not a property of " + parent.fhirType();
				}
				if (values.length < child.min || (child.max >= 0 && values.length > child.max)) {
					return child.path + ": " + values.length + " value(s), allowed " + child.min + ".." + (child.max < 0 ? "*" : child.max);
				}
				if (values.length == 0) {
					continue;
				}
				String why = child.slicing != null && !child.slicing.slices.isEmpty()
						? sliced(values, child, holder)
						: each(values, child, holder);
				if (why != null) {
					return why;
				}
			}
			return null;
		}

		private String each(Base[] values, CompiledProfile.Rule rule, Holder holder) {
			for (Base value : values) {
				String why = value instanceof Extension extension && rule.name.equals("extension") && rule.types.size() == 1
								&& rule.types.get(0).profiles().isEmpty() && !rule.hasChildren()
						? extension(extension, holder, rule)
						: conforms(value, rule, holder);
				if (why != null) {
					return why;
				}
			}
			return null;
		}

		private String sliced(Base[] values, CompiledProfile.Rule rule, Holder holder) {
			if (rule.unsupported != null) {
				return rule.path + ": " + rule.unsupported;
			}
			int[] counts = new int[rule.slicing.slices.size()];
			List<Base> unmatched = new ArrayList<>();
			for (Base value : values) {
				int matched = -1;
				for (int s = 0; s < counts.length; s++) {
					Boolean matches = matchesSlice(value, rule.slicing, rule.slicing.slices.get(s));
					if (matches == null) {
						return rule.path + ": slice " + rule.slicing.slices.get(s).sliceName + " cannot be matched here";
					}
					if (matches) {
						if (matched >= 0) {
							return rule.path + ": a value in two slices";
						}
						matched = s;
					}
				}
				if (matched < 0) {
					if (rule.slicing.closed) {
						return rule.path + ": a value in no slice of a closed slicing";
					}
					unmatched.add(value);
					continue;
				}
				counts[matched]++;
				String why = conforms(value, rule.slicing.slices.get(matched), holder);
				if (why != null) {
					return why;
				}
			}
			for (int s = 0; s < counts.length; s++) {
				CompiledProfile.Rule slice = rule.slicing.slices.get(s);
				if (counts[s] < slice.min || (slice.max >= 0 && counts[s] > slice.max)) {
					return slice.path + ":" + slice.sliceName + ": " + counts[s] + " value(s), allowed " + slice.min + ".."
							+ (slice.max < 0 ? "*" : slice.max);
				}
			}
			return unmatched.isEmpty() ? null : each(unmatched.toArray(Base[]::new), rule, holder);
		}

		/** Whether a value falls in a slice: each discriminator path holds the slice's fixed or pattern value; null when that cannot be told. */
		private Boolean matchesSlice(Base value, CompiledProfile.Slicing slicing, CompiledProfile.Rule slice) {
			for (String path : slicing.paths) {
				CompiledProfile.Rule expected = ruleAt(slice, path);
				if (expected == null && path.equals("url") && slice.types.size() == 1 && slice.types.get(0).profiles().size() == 1) {
					// an extension slice: its url is the URL of the extension definition it is typed with
					String url = slice.types.get(0).profiles().get(0);
					if (!(value instanceof Extension extension)) {
						return null;
					}
					if (!url.equals(extension.getUrl())) {
						return false;
					}
					continue;
				}
				if (expected == null || (expected.fixed == null && expected.pattern == null)) {
					return null;
				}
				List<Base> found = path.equals("$this") ? List.of(value) : valuesAt(value, path);
				if (found == null || found.size() > 1) {
					return null;
				}
				if (found.isEmpty() || !holds(found.get(0), expected)) {
					return false;
				}
			}
			return true;
		}

		private CompiledProfile.Rule ruleAt(CompiledProfile.Rule slice, String path) {
			if (path.equals("$this")) {
				return slice;
			}
			CompiledProfile.Rule at = slice;
			for (String segment : path.split("\\.")) {
				at = at.children.get(segment);
				if (at == null) {
					return null;
				}
			}
			return at;
		}

		private List<Base> valuesAt(Base value, String path) {
			List<Base> at = List.of(value);
			for (String segment : path.split("\\.")) {
				List<Base> next = new ArrayList<>();
				for (Base base : at) {
					Base[] values = values(base, segment);
					if (values == null) {
						return null;
					}
					next.addAll(List.of(values));
				}
				at = next;
			}
			return at;
		}

		private boolean holds(Base value, CompiledProfile.Rule rule) {
			return rule.fixed != null ? value.equalsDeep(rule.fixed) || samePrimitive(value, rule.fixed) : contains(value, rule.pattern);
		}

		/** An extension where the definition allows any: its own definition when the server knows its URL, else the base Extension. */
		private String extension(Extension extension, Holder holder, CompiledProfile.Rule rule) {
			if (extension.getUrl() == null) {
				return holder.path() + ": an extension without url";
			}
			CompiledProfile definition = profile(extension.getUrl());
			if (definition != null && !"Extension".equals(definition.type)) {
				return holder.path() + ": extension url " + extension.getUrl() + " names a " + definition.type + " profile";
			}
			if (definition == null) {
				if (knows(extension.getUrl())) {
					return holder.path() + ": extension " + extension.getUrl() + " cannot be compiled";
				}
				definition = profile(CORE + "Extension");
			}
			if (rule != null) {
				String why = invariants(extension, rule);
				if (why != null) {
					return why;
				}
			}
			return againstProfile(extension, definition, holder);
		}

		/** Where an extension may be used: one of its context expressions names the holder's path or type. */
		private String extensionContext(CompiledProfile definition, Holder holder) {
			if (definition.contexts == null) {
				return "extension " + definition.url + ": a context that is not a plain element";
			}
			for (String context : definition.contexts) {
				if (context.equals(holder.path()) || context.equals(holder.type()) || context.equals("Element")
						|| context.equals("Base") || context.equals("Resource") || context.equals("DomainResource")) {
					return null;
				}
			}
			return "extension " + definition.url + " is not allowed on " + holder.path() + " (" + holder.type() + ")";
		}

		private String fixedAndPattern(Base value, CompiledProfile.Rule rule) {
			if (rule.fixed != null && !(value.equalsDeep(rule.fixed) || samePrimitive(value, rule.fixed))) {
				return rule.path + ": not the fixed value";
			}
			if (rule.pattern != null && !contains(value, rule.pattern)) {
				return rule.path + ": does not hold the pattern";
			}
			return null;
		}

		private String primitive(PrimitiveType<?> primitive, CompiledProfile.Rule rule, String fhirType) {
			if (primitive instanceof org.hl7.fhir.r4.model.IdType id && id.isUrn()) {
				return null; // the parser's id for an entry with a urn:uuid fullUrl: the encoder does not write it
			}
			// an id holds what the parser read (Patient/123); the encoder writes, and the HL7 validator sees, the id part
			String text = primitive instanceof org.hl7.fhir.r4.model.IdType id ? id.getIdPart() : primitive.getValueAsString();
			if (text == null) {
				return primitive.hasExtension() ? null : rule.path + ": a primitive without value";
			}
			if (primitive.getValue() == null) {
				return rule.path + ": '" + text + "' is not a valid " + fhirType;
			}
			Pattern format = format(fhirType);
			if (format == null) {
				return rule.path + ": no format known for " + fhirType;
			}
			if (!format.matcher(text).matches()) {
				return rule.path + ": '" + text + "' does not match the format of " + fhirType;
			}
			switch (fhirType) {
				case "date", "dateTime", "instant" -> {
					if ((text.contains("T") && !TIME_ZONE.matcher(text).find()) || (fhirType.equals("instant") && !text.contains("T"))) {
						return rule.path + ": '" + text + "' has a time without a time zone, or an instant without time";
					}
					Matcher date = FULL_DATE.matcher(text);
					if (date.find()) {
						try {
							LocalDate.of(Integer.parseInt(date.group(1)), Integer.parseInt(date.group(2)), Integer.parseInt(date.group(3)));
						} catch (DateTimeException e) {
							return rule.path + ": '" + text + "' is not a date";
						}
					}
				}
				case "uri", "url", "canonical", "oid", "uuid" -> {
					if ((text.startsWith("urn:oid:") && !OID.matcher(text).matches())
							|| (text.startsWith("urn:uuid:") && !UUID_URN.matcher(text).matches())) {
						return rule.path + ": '" + text + "' is not a valid " + fhirType;
					}
				}
				case "string", "markdown" -> {
					if (text.length() > 1_048_576) {
						return rule.path + ": a string over 1 MB";
					}
				}
				default -> {
					// the format says it all
				}
			}
			if (rule.maxLength != null && text.length() > rule.maxLength) {
				return rule.path + ": longer than " + rule.maxLength;
			}
			if (rule.minValue != null || rule.maxValue != null) {
				BigDecimal number;
				try {
					number = new BigDecimal(text);
				} catch (NumberFormatException e) {
					return rule.path + ": a bound on a non-number";
				}
				if ((rule.minValue != null && number.compareTo(rule.minValue) < 0)
						|| (rule.maxValue != null && number.compareTo(rule.maxValue) > 0)) {
					return rule.path + ": " + text + " out of bounds";
				}
			}
			return null;
		}

		/** A required binding: the code (or one coding) is in the value set, as the terminology chain says. */
		private String binding(Base value, CompiledProfile.Rule rule) {
			String valueSet = rule.requiredValueSet;
			if (valueSet == null) {
				return null;
			}
			boolean bound;
			if (value instanceof Coding coding) {
				bound = valid(coding.getSystem(), coding.getCode(), valueSet);
			} else if (value instanceof CodeableConcept concept) {
				bound = concept.getCoding().stream().anyMatch(c -> valid(c.getSystem(), c.getCode(), valueSet));
			} else if (value instanceof PrimitiveType<?> primitive && !(value instanceof org.hl7.fhir.r4.model.BooleanType)) {
				bound = primitive.getValueAsString() == null || valid(null, primitive.getValueAsString(), valueSet);
			} else {
				return rule.path + ": a required binding on " + value.fhirType();
			}
			return bound ? null : rule.path + ": not proven in " + valueSet;
		}

		/** What the HL7 validator checks for some datatypes wherever they are: codes of code systems, units, reference targets. */
		private String datatype(Base value, CompiledProfile.Rule rule, CompiledProfile.TypeRule type) {
			if (value instanceof Coding coding && (coding.hasSystem() || coding.hasCode())) {
				if (!coding.hasSystem() || !coding.hasCode() || !valid(coding.getSystem(), coding.getCode(), null)) {
					return rule.path + ": code " + coding.getSystem() + "#" + coding.getCode() + " not proven";
				}
			} else if (value instanceof Quantity quantity && (quantity.hasSystem() || quantity.hasCode())) {
				if (!quantity.hasSystem() || !quantity.hasCode() || !valid(quantity.getSystem(), quantity.getCode(), null)) {
					return rule.path + ": unit " + quantity.getSystem() + "#" + quantity.getCode() + " not proven";
				}
			} else if (value instanceof Identifier identifier && "urn:ietf:rfc:3986".equals(identifier.getSystem())) {
				return rule.path + ": an identifier that must itself be a URI";
			} else if (value instanceof Reference reference) {
				return reference(reference, rule, type);
			} else if (value instanceof Extension extension && extension.hasExtension() == extension.hasValue()) {
				return rule.path + ": extension " + extension.getUrl() + " must have a value or extensions, not both (ext-1)";
			}
			return null;
		}

		private String reference(Reference reference, CompiledProfile.Rule rule, CompiledProfile.TypeRule type) {
			if (reference.hasType()) {
				return rule.path + ": Reference.type";
			}
			String target = reference.getReference();
			if (target == null) {
				return null; // a logical reference (identifier) or a display only
			}
			String targetType;
			Resource inBundle = bundle.byFullUrl().get(target);
			if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
				if (inBundle == null) {
					return rule.path + ": " + target + " is not in the bundle";
				}
				targetType = inBundle.fhirType();
			} else if (target.startsWith("#") || target.contains("?")) {
				return rule.path + ": a contained or conditional reference";
			} else {
				String[] parts = target.split("/");
				int typeAt = parts.length >= 4 && "_history".equals(parts[parts.length - 2]) ? parts.length - 4 : parts.length - 2;
				if (typeAt < 0 || !fhirContext.getResourceTypes().contains(parts[typeAt])) {
					return rule.path + ": reference " + target + " names no resource type";
				}
				targetType = parts[typeAt];
				if (inBundle == null && typeAt + 1 < parts.length) {
					inBundle = bundle.byTypeAndId().get(targetType + "/" + parts[typeAt + 1]);
				}
			}
			if (inBundle != null) {
				targets.add(inBundle);
			}
			if (type == null || type.targetProfiles().isEmpty()) {
				return null;
			}
			for (String targetProfile : type.targetProfiles()) {
				if (targetProfile.equals(CORE + "Resource") || targetProfile.equals(CORE + targetType)) {
					return null;
				}
				if (targetProfile.equals(profileByType.get(targetType))
						&& (inBundle == null || bundle.validatedOnItsOwn().test(inBundle))) {
					return null; // the target is checked against that profile as its own entry (or was when it was stored)
				}
			}
			return rule.path + ": reference to a " + targetType + " not proven to meet " + type.targetProfiles();
		}

		private String invariants(Base value, CompiledProfile.Rule rule) {
			FHIRPathEngine engine = fhirPath.get();
			for (CompiledProfile.Invariant invariant : rule.invariants) {
				if (invariant.expression() == null) {
					return rule.path + ": invariant " + invariant.key() + " is not evaluated here";
				}
				try {
					// HAPI's R4 engine rewrites the dateTimes it compares to UTC (per-1: start <= end): a comparing
					// invariant runs on a copy of its element, so the resource stored keeps its values as sent
					Base focus = invariant.compares() ? value.copy() : value;
					List<Base> result = engine.evaluate(null, resource, resource, focus, invariant.expression());
					if (!engine.convertToBoolean(result)) {
						return rule.path + ": invariant " + invariant.key() + " fails";
					}
				} catch (RuntimeException e) {
					return rule.path + ": invariant " + invariant.key() + " could not be evaluated";
				}
			}
			return null;
		}
	}

	/** The values of a property of an instance; null when the instance has no such property. */
	private static Base[] values(Base parent, String name) {
		Base[] values;
		try {
			values = parent.getProperty(name.hashCode(), name, true);
		} catch (org.hl7.fhir.exceptions.FHIRException e) {
			return null;
		}
		for (Base value : values) {
			if (value == null || value.isEmpty()) {
				// HAPI's encoder leaves empty elements out, so the HL7 validator never sees them: neither do we
				return java.util.Arrays.stream(values).filter(v -> v != null && !v.isEmpty()).toArray(Base[]::new);
			}
		}
		return values;
	}

	private static boolean samePrimitive(Base value, org.hl7.fhir.r4.model.Type expected) {
		return value.isPrimitive() && expected.isPrimitive() && value.primitiveValue() != null
				&& value.primitiveValue().equals(expected.primitiveValue());
	}

	/** Pattern semantics (ElementDefinition.pattern[x]): every value in the pattern is in the instance. */
	private static boolean contains(Base value, Base pattern) {
		if (pattern.isPrimitive()) {
			return value.isPrimitive() && pattern.primitiveValue() != null && pattern.primitiveValue().equals(value.primitiveValue());
		}
		for (Property property : pattern.children()) {
			if (!property.hasValues()) {
				continue;
			}
			Base[] instance = values(value, property.getName().replace("[x]", ""));
			if (instance == null) {
				return false;
			}
			for (Base wanted : property.getValues()) {
				boolean found = false;
				for (Base candidate : instance) {
					if (candidate != null && contains(candidate, wanted)) {
						found = true;
						break;
					}
				}
				if (!found) {
					return false;
				}
			}
		}
		return true;
	}

	/** Whether the terminology chain says the code is valid (in the code system; in the value set when one is given). */
	private boolean valid(String system, String code, String valueSet) {
		if (code == null) {
			return false;
		}
		String key = system + "|" + code + "|" + valueSet;
		return codes.get(key, k -> {
			ConceptValidationOptions options = new ConceptValidationOptions().setInferSystem(system == null);
			IValidationSupport.CodeValidationResult result =
					support.validateCode(new ValidationSupportContext(support), options, system, code, null, valueSet);
			if (result != null && result.isOk()) {
				return true;
			}
			if (valueSet != null || system == null) {
				return false;
			}
			// a code system the chain does not know (LOINC, SNOMED CT without a terminology server), no value
			// set: the HL7 validator warns that it cannot check the code, no more
			boolean onlyAWarning = result != null && (result.getSeverity() == IValidationSupport.IssueSeverity.WARNING
					|| result.getSeverity() == IValidationSupport.IssueSeverity.INFORMATION);
			return onlyAWarning || !support.isCodeSystemSupported(new ValidationSupportContext(support), system);
		});
	}

	/** The format of a primitive type, from its definition's regex extension. */
	private Pattern format(String fhirType) {
		return primitiveFormats.get(fhirType, type -> {
			if (!(support.fetchStructureDefinition(CORE + type) instanceof StructureDefinition definition)) {
				return Optional.empty();
			}
			for (org.hl7.fhir.r4.model.ElementDefinition element : definition.getSnapshot().getElement()) {
				if (element.getPath().equals(type + ".value")) {
					for (org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent ref : element.getType()) {
						for (org.hl7.fhir.r4.model.Extension extension : ref.getExtension()) {
							if (extension.getUrl().endsWith(REGEX)) {
								return Optional.of(Pattern.compile(extension.getValue().primitiveValue()));
							}
						}
						for (org.hl7.fhir.r4.model.Extension extension : ref.getCodeElement().getExtension()) {
							if (extension.getUrl().endsWith(REGEX)) {
								return Optional.of(Pattern.compile(extension.getValue().primitiveValue()));
							}
						}
					}
					return type.equals("boolean") || type.equals("xhtml") ? Optional.of(Pattern.compile("(?s).*")) : Optional.empty();
				}
			}
			return Optional.empty();
		}).orElse(null);
	}
}
