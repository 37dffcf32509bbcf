package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which stored references make a resource part of a patient's record, as the paths HAPI writes
 * into {@code HFJ_RES_LINK.SRC_PATH} (the search parameter's FHIRPath, e.g.
 * {@code Condition.subject.where(resolve() is Patient)}): for {@code $everything} the parameters
 * the FHIR R4 Patient CompartmentDefinition names (subject, performer, asserter, …), for the
 * summary only the {@code patient} parameter, so a condition someone asserted about another
 * person is not listed among their own problems.
 */
final class PatientCompartment {

	/** Compartment types that list other patients too; a patient's record does not carry them. */
	private static final Set<String> NOT_PERSONAL = Set.of("Patient", "Group", "List");

	private final Map<String, Set<String>> memberPaths = new TreeMap<>();
	private final Map<String, Set<String>> subjectPaths = new TreeMap<>();

	PatientCompartment(FhirContext fhirContext) {
		for (String type : fhirContext.getResourceTypes()) {
			if (NOT_PERSONAL.contains(type)) {
				continue;
			}
			RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
			RuntimeSearchParam patient = definition.getSearchParam("patient");
			if (patient != null) {
				subjectPaths.put(type, paths(patient));
			}
			for (RuntimeSearchParam param : definition.getSearchParams()) {
				if (param.getProvidesMembershipInCompartments() != null
						&& param.getProvidesMembershipInCompartments().contains("Patient")) {
					memberPaths.computeIfAbsent(type, t -> new LinkedHashSet<>()).addAll(paths(param));
				}
			}
		}
	}

	/** The types with a place in the Patient compartment (without Patient, Group and List). */
	Set<String> types() {
		return memberPaths.keySet();
	}

	/** The reference paths that put a resource of these types in the compartment. */
	List<String> memberPaths(Collection<String> types) {
		return pathsOf(memberPaths, types);
	}

	private static List<String> pathsOf(Map<String, Set<String>> pathsByType, Collection<String> types) {
		Set<String> paths = new LinkedHashSet<>();
		types.forEach(type -> paths.addAll(pathsByType.getOrDefault(type, Set.of())));
		return List.copyOf(paths);
	}

	/** The paths of the {@code patient} search parameter of these types: whose record it is. */
	List<String> subjectPaths(Collection<String> types) {
		return pathsOf(subjectPaths, types);
	}

	/** The path as HAPI may have stored it: whole, and each alternative of a union. */
	private static Set<String> paths(RuntimeSearchParam param) {
		Set<String> paths = new LinkedHashSet<>();
		if (param.getPath() != null && !param.getPath().isBlank()) {
			paths.add(param.getPath().trim());
		}
		for (String path : param.getPathsSplit()) {
			paths.add(path.trim());
		}
		return paths;
	}
}
