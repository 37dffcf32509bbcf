package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationMethodBinding;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * HAPI's admin and maintenance operations, off unless the operator turns them on
 * ({@code vietfhir.fhir.admin-operations}): an operation that is off is not bound ({@link DroppedBindings}),
 * so it is neither advertised in the CapabilityStatement nor callable (HAPI answers 400, unknown operation).
 * {@code $expunge} erases deleted resources and old versions for good, and Circular 38/2024 requires
 * medical records to be kept; the reindexing ones rewrite every index row of the database. Those
 * turned on are for the {@code vietfhir/admin} scope only (security/AccessControlInterceptor).
 */
public final class AdminOperations {

	/** The HAPI 8.8.0 operations this covers: those our providers bind, and the ones HAPI could add later. */
	static final Set<String> ALL = Set.of(
			"$expunge", "$delete-expunge",
			"$reindex", "$reindex-dryrun", "$hapi.fhir.reindex-status",
			"$mark-all-resources-for-reindexing", "$perform-reindexing-pass", "$reindex-terminology",
			"$invalidate-expansion", "$get-resource-counts",
			"$hapi.fhir.replace-references", "$hapi.fhir.undo-replace-references",
			"$hapi.fhir.merge", "$hapi.fhir.undo-merge",
			"$hapi.fhir.bulk-patch", "$hapi.fhir.bulk-patch-status", "$trigger-subscription");

	private final Set<String> enabled;

	AdminOperations(Collection<String> configured) {
		this.enabled = enabled(configured);
	}

	/** The configured names with their {@code $} (it may be left out in configuration); unknown names fail the start. */
	public static Set<String> enabled(Collection<String> configured) {
		Set<String> names = new LinkedHashSet<>();
		for (String name : configured) {
			String trimmed = name.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			String operation = trimmed.startsWith("$") ? trimmed : "$" + trimmed;
			if (!ALL.contains(operation)) {
				throw new IllegalArgumentException("vietfhir.fhir.admin-operations: unknown admin operation '" + trimmed
						+ "'; known: " + ALL);
			}
			names.add(operation);
		}
		return Set.copyOf(names);
	}

	public static boolean isAdminOperation(String name) {
		return name != null && ALL.contains(name);
	}

	/** Whether this is the binding of an admin operation that is not turned on (for {@link DroppedBindings}). */
	boolean isOff(BaseMethodBinding binding) {
		return binding instanceof OperationMethodBinding operation
				&& isAdminOperation(operation.getName())
				&& !enabled.contains(operation.getName());
	}
}
