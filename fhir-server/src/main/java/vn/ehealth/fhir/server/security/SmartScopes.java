package vn.ehealth.fhir.server.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of granted scopes. Resource scopes follow SMART App Launch v2 ({@code system/Patient.rs},
 * {@code system/*.cruds}) and accept the v1 forms ({@code .read} = rs, {@code .write} = cud,
 * {@code .*} = cruds); anything else (such as {@link #ADMIN}) is kept as an opaque name.
 * {@code user/} scopes (a person signed in at the configured OpenID Connect issuer, e.g. the
 * dashboard's statistician) grant their types and interactions as {@code system/} ones do: the server
 * keeps no per-user rights of its own, the issuer decides what the user may have. They are never
 * granted by our own token endpoint (backend services get {@code system/} scopes) and do not open
 * system-wide interactions ($export). {@code patient/} scopes are not understood (no compartment
 * enforcement) and grant nothing.
 * See https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html
 */
public final class SmartScopes {

	/** Grants the admin APIs (/admin/clients, /admin/audit) and HAPI admin operations turned on (rest/AdminOperations). */
	static final String ADMIN = "vietfhir/admin";

	/** Grants Patient/$merge, $unmerge and the duplicates review (identity; never implied by write). */
	static final String PATIENT_MERGE = "system/Patient.merge";

	/** Interactions in SMART v2 order: create, read, update, delete, search. */
	static final String ALL = "cruds";

	private static final String SYSTEM = "system";

	private static final Pattern RESOURCE_SCOPE =
			Pattern.compile("(system|user)/(\\*|[A-Z][A-Za-z]{1,63})\\.([a-z*]+)");

	/** One {@code system|user/<type>.<permissions>} scope, permissions normalised to a subset of "cruds". */
	record ResourceScope(String context, String type, String permissions) {
		boolean allows(String resourceType, char permission) {
			return (type.equals("*") || type.equals(resourceType)) && permissions.indexOf(permission) >= 0;
		}

		boolean isSystem() {
			return SYSTEM.equals(context);
		}

		@Override
		public String toString() {
			return context + "/" + type + "." + permissions;
		}
	}

	private final List<ResourceScope> resourceScopes;
	private final Set<String> otherScopes;

	private SmartScopes(List<ResourceScope> resourceScopes, Set<String> otherScopes) {
		this.resourceScopes = List.copyOf(resourceScopes);
		this.otherScopes = Set.copyOf(otherScopes);
	}

	/** Parses a space-separated scope string (or a list of scopes); unknown scope strings are kept as names. */
	static SmartScopes parse(Collection<String> scopes) {
		List<ResourceScope> resources = new ArrayList<>();
		Set<String> others = new LinkedHashSet<>();
		for (String scope : scopes) {
			if (scope == null || scope.isBlank()) {
				continue;
			}
			ResourceScope resource = resourceScope(scope.trim());
			if (resource != null) {
				resources.add(resource);
			} else {
				others.add(scope.trim());
			}
		}
		return new SmartScopes(resources, others);
	}

	public static SmartScopes parse(String spaceSeparated) {
		return parse(spaceSeparated == null ? List.of() : List.of(spaceSeparated.trim().split("\\s+")));
	}

	/** The scope as a resource scope, or null if it is not one (or its permissions are malformed). */
	static ResourceScope resourceScope(String scope) {
		Matcher m = RESOURCE_SCOPE.matcher(scope);
		if (!m.matches()) {
			return null;
		}
		String permissions = switch (m.group(3)) {
			case "read" -> "rs";
			case "write" -> "cud";
			case "*" -> ALL;
			default -> normalise(m.group(3));
		};
		return permissions == null ? null : new ResourceScope(m.group(1), m.group(2), permissions);
	}

	/** v2 permissions must be distinct letters of "cruds" in that order. */
	private static String normalise(String letters) {
		int last = -1;
		for (char c : letters.toCharArray()) {
			int at = ALL.indexOf(c);
			if (at <= last) {
				return null;
			}
			last = at;
		}
		return letters;
	}

	/** Whether a scope string is one we can grant: a well-formed {@code system/} resource scope or {@link #ADMIN}. */
	static boolean isGrantable(String scope) {
		ResourceScope resource = resourceScope(scope);
		return ADMIN.equals(scope) || PATIENT_MERGE.equals(scope) || resource != null && resource.isSystem();
	}

	public boolean allows(String resourceType, char permission) {
		return resourceScopes.stream().anyMatch(s -> s.allows(resourceType, permission));
	}

	/** Whether resources of this type may be shown: read or search is granted on it. */
	boolean allowsShowing(String resourceType) {
		return allows(resourceType, 'r') || allows(resourceType, 's');
	}

	/** Whether {@code system/*.<permission>} itself is granted (system-wide interactions such as $export). */
	public boolean allowsAllTypes(char permission) {
		return resourceScopes.stream().anyMatch(s -> s.isSystem() && s.type().equals("*") && s.permissions().indexOf(permission) >= 0);
	}

	boolean has(String name) {
		return otherScopes.contains(name);
	}

	boolean isEmpty() {
		return resourceScopes.isEmpty() && otherScopes.isEmpty();
	}

	/**
	 * These scopes less the resource scopes on a type not in {@code resourceTypes} (e.g. the FHIR R4
	 * resource types): a scope on {@code system/UnknownResource.r} means nothing and is not granted.
	 */
	SmartScopes onlyTypes(Set<String> resourceTypes) {
		List<ResourceScope> known = resourceScopes.stream()
				.filter(s -> s.type().equals("*") || resourceTypes.contains(s.type()))
				.toList();
		return new SmartScopes(known, otherScopes);
	}

	/**
	 * What a client gets when it asks for {@code requested} and may have {@code this}: each requested
	 * resource scope narrowed to what an allowed scope covers (type and permissions), and each other
	 * scope only if allowed verbatim.
	 */
	SmartScopes grant(SmartScopes requested) {
		Set<ResourceScope> granted = new LinkedHashSet<>();
		for (ResourceScope want : requested.resourceScopes) {
			if (!want.isSystem()) {
				continue; // backend services get system/ scopes only
			}
			for (ResourceScope may : resourceScopes) {
				if (!may.isSystem()) {
					continue;
				}
				String type = may.type().equals("*") ? want.type()
						: (want.type().equals("*") || want.type().equals(may.type())) ? may.type() : null;
				if (type == null) {
					continue;
				}
				StringBuilder permissions = new StringBuilder();
				for (char c : ALL.toCharArray()) {
					if (want.permissions().indexOf(c) >= 0 && may.permissions().indexOf(c) >= 0) {
						permissions.append(c);
					}
				}
				if (!permissions.isEmpty()) {
					granted.add(new ResourceScope(SYSTEM, type, permissions.toString()));
				}
			}
		}
		Set<String> others = new LinkedHashSet<>(requested.otherScopes);
		others.retainAll(otherScopes);
		return new SmartScopes(new ArrayList<>(granted), others);
	}

	/** Space-separated, as in the token's {@code scope} claim. */
	@Override
	public String toString() {
		List<String> all = new ArrayList<>();
		resourceScopes.forEach(s -> all.add(s.toString()));
		all.addAll(otherScopes);
		return String.join(" ", all);
	}
}
