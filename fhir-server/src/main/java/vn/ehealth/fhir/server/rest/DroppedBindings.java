package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The one {@link Pointcut#SERVER_PROVIDER_METHOD_BOUND} hook of the server: HAPI keeps a method binding
 * as soon as one hook returns it (the first non-null answer wins), so two hooks each dropping their own
 * bindings would keep each other's. Features add the bindings they drop here instead; register it (and
 * the rules) before the server binds its providers (servlet init).
 */
public final class DroppedBindings {

	private final List<Predicate<BaseMethodBinding>> rules = new CopyOnWriteArrayList<>();

	private DroppedBindings() {}

	/** The server's instance, registered on first use. */
	public static synchronized DroppedBindings of(RestfulServer server) {
		for (Object interceptor : server.getInterceptorService().getAllRegisteredInterceptors()) {
			if (interceptor instanceof DroppedBindings existing) {
				return existing;
			}
		}
		DroppedBindings created = new DroppedBindings();
		server.registerInterceptor(created);
		return created;
	}

	/** Bindings for which the rule is true are not bound: not callable, not in the CapabilityStatement. */
	public DroppedBindings drop(Predicate<BaseMethodBinding> rule) {
		rules.add(rule);
		return this;
	}

	@Hook(value = Pointcut.SERVER_PROVIDER_METHOD_BOUND, order = RequestPipeline.ProviderMethodBound.DROPPED_BINDINGS)
	public BaseMethodBinding bound(BaseMethodBinding binding) {
		return rules.stream().anyMatch(rule -> rule.test(binding)) ? null : binding;
	}
}
