package vn.ehealth.fhir.server.validation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.Type;

/**
 * A StructureDefinition's snapshot turned into a tree of element rules, once, so that checking a
 * resource is a walk of the resource and this tree: no parsing of the snapshot, of the resource or
 * of FHIRPath per call (see {@link CompiledConformance}). What a rule cannot express (a slicing by
 * type or profile, an ordered slicing, a bound on a date, a maximum value set) marks the element
 * unsupported: an instance with a value there is left to the HL7 validator.
 */
final class CompiledProfile {

	/**
	 * Invariants the walk checks without FHIRPath (see CompiledConformance): ele-1 (no empty element: the
	 * encoder drops them), ext-1 (an extension has a value or extensions), ref-1 (a reference to a
	 * contained resource resolves: such references are left to the HL7 validator), txt-1 and txt-2 (the
	 * narrative's XHTML: {@link NarrativeXhtml}).
	 */
	static final Set<String> CHECKED_NATIVELY = Set.of("ele-1", "ext-1", "ref-1", "txt-1", "txt-2");
	/** DomainResource's invariants about contained resources: vacuous, as resources with contained ones are left to the HL7 validator. */
	static final Set<String> ABOUT_CONTAINED = Set.of("dom-2", "dom-3", "dom-4", "dom-5");
	private static final String FHIR_TYPE = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";
	private static final String MAX_VALUE_SET = "http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet";
	private static final String SYSTEM_TYPES = "http://hl7.org/fhirpath/System.";

	final String url;
	/** The type it constrains (Patient, Extension, HumanName...). */
	final String type;
	final Rule root;
	/** Extension definitions only: where the extension may be used (element paths or type names); null when any context expression is not a plain one. */
	final List<String> contexts;

	/** One type an element may take, with the profiles it must meet and, for references, the profiles of its targets. */
	record TypeRule(String code, List<String> profiles, List<String> targetProfiles) {}

	/**
	 * A FHIRPath invariant of severity error; {@code expression} null when it did not parse or needs what
	 * the walk cannot give (resolve(), or comparing values of the resource outside its element); {@code
	 * compares} when it compares values (evaluated on a copy of its element: see CompiledConformance).
	 */
	record Invariant(String key, ExpressionNode expression, boolean compares) {}

	/** How an element is sliced: the discriminator paths (value or pattern), closed or open, and its slices. */
	static final class Slicing {
		final List<String> paths;
		final boolean closed;
		final List<Rule> slices = new ArrayList<>();

		Slicing(List<String> paths, boolean closed) {
			this.paths = paths;
			this.closed = closed;
		}
	}

	/** One element of the snapshot (or one slice of it). */
	static final class Rule {
		final String path;
		/** Property name in the instance: the last path segment, without [x]. */
		final String name;
		final String sliceName;
		final int min;
		/** -1 for *. */
		final int max;
		final List<TypeRule> types;
		final Type fixed;
		final Type pattern;
		final String requiredValueSet;
		final List<Invariant> invariants;
		final Integer maxLength;
		final BigDecimal minValue;
		final BigDecimal maxValue;
		final Map<String, Rule> children = new LinkedHashMap<>();
		Slicing slicing;
		/** Why an instance with a value here is left to the HL7 validator; null when the rule says it all. */
		String unsupported;
		/** For an element defined by reference to another (contentReference): whose children it takes. */
		String contentReference;

		Rule(ElementDefinition element, String name, Function<String, ExpressionNode> parser) {
			this.path = element.getPath();
			this.name = name;
			this.sliceName = element.getSliceName();
			this.min = element.getMin();
			this.max = "*".equals(element.getMax()) || element.getMax() == null ? -1 : Integer.parseInt(element.getMax());
			this.types = element.getType().stream().map(CompiledProfile::typeRule).toList();
			this.fixed = element.hasFixed() ? element.getFixed() : null;
			this.pattern = element.hasPattern() ? element.getPattern() : null;
			this.requiredValueSet = requiredValueSet(element);
			this.maxLength = element.hasMaxLength() && element.getMaxLength() > 0 ? element.getMaxLength() : null;
			this.minValue = numeric(element.hasMinValue() ? element.getMinValue() : null, this);
			this.maxValue = numeric(element.hasMaxValue() ? element.getMaxValue() : null, this);
			if (element.hasContentReference()) {
				contentReference = element.getContentReference().substring(element.getContentReference().indexOf('#') + 1);
			}
			List<Invariant> errors = new ArrayList<>();
			for (ElementDefinition.ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
				boolean error = constraint.getSeverity() == ElementDefinition.ConstraintSeverity.ERROR;
				String key = constraint.getKey();
				if (error && !CHECKED_NATIVELY.contains(key) && !ABOUT_CONTAINED.contains(key)
						&& errors.stream().noneMatch(known -> known.key().equals(key))) {
					String expression = constraint.getExpression();
					boolean compares = expression != null && (expression.contains("<") || expression.contains(">"));
					boolean evaluable = expression != null && !expression.contains("resolve()")
							&& !(compares && expression.contains("%"));
					errors.add(new Invariant(key, evaluable ? parser.apply(expression) : null, compares));
				}
			}
			this.invariants = List.copyOf(errors);
		}

		/**
		 * The value set a value must be in: a required binding's, or the maximum value set of a weaker one
		 * (Resource.language: preferred languages, any of all-languages).
		 */
		private String requiredValueSet(ElementDefinition element) {
			if (!element.hasBinding()) {
				return null;
			}
			ElementDefinition.ElementDefinitionBindingComponent binding = element.getBinding();
			Extension max = binding.getExtensionByUrl(MAX_VALUE_SET);
			if (binding.getStrength() == Enumerations.BindingStrength.REQUIRED) {
				if (max != null) {
					unsupported = "a required binding with a maximum value set";
				}
				return binding.hasValueSet() ? binding.getValueSet() : null;
			}
			return max != null && max.getValue() != null ? max.getValue().primitiveValue() : null;
		}

		/** The type rule the instance's type matches, or null. */
		TypeRule typeFor(String fhirType) {
			if (types.size() == 1 && (isAnyType(types.get(0).code()) || types.get(0).code().equals(fhirType))) {
				return types.get(0);
			}
			for (TypeRule type : types) {
				if (type.code().equals(fhirType)) {
					return type;
				}
			}
			return null;
		}

		/** Whether the value's walk takes the children listed under this rule (a backbone element, or a profile's constraints). */
		boolean hasChildren() {
			return !children.isEmpty();
		}
	}

	private CompiledProfile(String url, String type, Rule root, List<String> contexts) {
		this.url = url;
		this.type = type;
		this.root = root;
		this.contexts = contexts;
	}

	/** BackboneElement and Element (a backbone's type), and FHIRPath's system types: not a datatype to check the value's class against. */
	static boolean isAnyType(String code) {
		return code.equals("BackboneElement") || code.equals("Element") || code.startsWith(SYSTEM_TYPES);
	}

	/**
	 * Compiles a snapshot. Element ids give the tree: {@code Patient.identifier:cccd.system} is the child
	 * {@code system} of the slice {@code cccd} of {@code Patient.identifier}.
	 *
	 * @throws IllegalArgumentException when the snapshot cannot be compiled (no snapshot, an element without id)
	 */
	static CompiledProfile compile(StructureDefinition definition, Function<String, ExpressionNode> parser) {
		if (!definition.hasSnapshot() || definition.getSnapshot().getElement().isEmpty()) {
			throw new IllegalArgumentException("no snapshot");
		}
		Map<String, Rule> byId = new LinkedHashMap<>();
		Map<String, Rule> byPath = new LinkedHashMap<>();
		Rule root = null;
		for (ElementDefinition element : definition.getSnapshot().getElement()) {
			String id = element.getId();
			if (id == null) {
				throw new IllegalArgumentException("element " + element.getPath() + " has no id");
			}
			int dot = lastSegmentStart(id);
			String segment = id.substring(dot + 1);
			int colon = segment.indexOf(':');
			String elementName = colon < 0 ? segment : segment.substring(0, colon);
			String name = elementName.endsWith("[x]") ? elementName.substring(0, elementName.length() - 3) : elementName;
			Rule rule = new Rule(element, name, parser);
			byId.put(id, rule);
			if (element.getSliceName() == null && !byPath.containsKey(element.getPath())) {
				byPath.put(element.getPath(), rule);
			}
			if (dot < 0) {
				root = rule;
				continue;
			}
			String parentId = id.substring(0, dot);
			Rule parent = byId.get(parentId);
			if (parent == null) {
				throw new IllegalArgumentException("element " + id + " comes before its parent");
			}
			if (colon >= 0) {
				Rule sliced = byId.get(parentId + "." + elementName);
				String slice = segment.substring(colon + 1);
				if (sliced == null || sliced.slicing == null || slice.contains("/") || slice.startsWith("@")) {
					(sliced != null ? sliced : parent).unsupported = "a re-slice or a slice without its slicing";
				} else {
					sliced.slicing.slices.add(rule);
				}
			} else {
				parent.children.put(name, rule);
			}
			if (element.hasSlicing()) {
				rule.slicing = slicing(element.getSlicing(), rule);
			}
		}
		if (root == null) {
			throw new IllegalArgumentException("no root element");
		}
		for (Rule rule : byId.values()) {
			if (rule.contentReference != null) {
				Rule target = byPath.get(rule.contentReference);
				if (target == null) {
					rule.unsupported = "an unknown content reference";
				} else {
					target.children.forEach(rule.children::putIfAbsent);
				}
			}
		}
		return new CompiledProfile(definition.getUrl(), definition.getType(), root, contexts(definition));
	}

	/** Start of the last segment of an element id (dots inside a slice name do not count); -1 for the root. */
	private static int lastSegmentStart(String id) {
		int colon = id.lastIndexOf(':');
		int dot = id.lastIndexOf('.');
		if (colon > dot) {
			// a slice name may hold dots: the segment starts at the last dot before the colon
			return id.lastIndexOf('.', colon);
		}
		return dot;
	}

	private static Slicing slicing(ElementDefinition.ElementDefinitionSlicingComponent slicing, Rule rule) {
		List<String> paths = new ArrayList<>();
		for (ElementDefinition.ElementDefinitionSlicingDiscriminatorComponent discriminator : slicing.getDiscriminator()) {
			boolean byValue = discriminator.getType() == ElementDefinition.DiscriminatorType.VALUE
					|| discriminator.getType() == ElementDefinition.DiscriminatorType.PATTERN;
			if (!byValue || discriminator.getPath() == null || discriminator.getPath().contains("(")) {
				rule.unsupported = "a slicing by " + discriminator.getType();
			}
			paths.add(discriminator.getPath());
		}
		if (slicing.getOrdered()) {
			rule.unsupported = "an ordered slicing";
		}
		if (paths.isEmpty()) {
			rule.unsupported = "a slicing without discriminator";
		}
		return new Slicing(paths, slicing.getRules() == ElementDefinition.SlicingRules.CLOSED);
	}

	private static TypeRule typeRule(ElementDefinition.TypeRefComponent type) {
		String code = type.getCode();
		if (code != null && code.startsWith(SYSTEM_TYPES)) {
			Extension fhirType = type.getExtensionByUrl(FHIR_TYPE);
			if (fhirType != null && fhirType.getValue() != null && fhirType.getValue().primitiveValue() != null) {
				code = fhirType.getValue().primitiveValue();
			}
		}
		return new TypeRule(
				code == null ? "" : code,
				type.getProfile().stream().map(p -> p.getValue()).toList(),
				type.getTargetProfile().stream().map(p -> p.getValue()).toList());
	}

	private static BigDecimal numeric(Type bound, Rule rule) {
		if (bound == null) {
			return null;
		}
		if (bound instanceof org.hl7.fhir.r4.model.IntegerType
				|| bound instanceof org.hl7.fhir.r4.model.DecimalType) {
			return new BigDecimal(bound.primitiveValue());
		}
		rule.unsupported = "a bound on a " + bound.fhirType();
		return null;
	}

	private static List<String> contexts(StructureDefinition definition) {
		if (!"Extension".equals(definition.getType()) || definition.hasContextInvariant()) {
			return definition.hasContextInvariant() ? null : List.of();
		}
		List<String> contexts = new ArrayList<>();
		for (StructureDefinition.StructureDefinitionContextComponent context : definition.getContext()) {
			if (context.getType() != StructureDefinition.ExtensionContextType.ELEMENT || context.getExpression() == null) {
				return null;
			}
			contexts.add(context.getExpression());
		}
		return contexts;
	}
}
