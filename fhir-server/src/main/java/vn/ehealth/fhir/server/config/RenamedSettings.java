package vn.ehealth.fhir.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Keys that moved: an old key is still read (its value copied to the new key, with the same
 * precedence as where it was given) and a warning names the new key, so a deployment's configuration
 * keeps working until it is updated.
 */
final class RenamedSettings {

	/** Old prefix → new prefix. */
	private static final Map<String, String> MOVED = Map.of("vietfhir.bulk-import.sync", "vietfhir.sync");
	private static final String SOURCE_PREFIX = "vietfhir renamed keys from ";

	private RenamedSettings() {}

	/** Old prefix → new prefix, for the configuration reference. */
	static Map<String, String> moved() {
		return MOVED;
	}

	/** The new key an old one stands for, if the name is an old key. */
	static Optional<String> newKey(String name, boolean environmentVariable, KnownSettings known) {
		for (Map.Entry<String, String> moved : MOVED.entrySet()) {
			String observed = environmentVariable ? KnownSettings.squashed(name) : KnownSettings.dotted(name);
			String oldPrefix = environmentVariable
					? KnownSettings.squashed(moved.getKey())
					: KnownSettings.dotted(moved.getKey()) + ".";
			if (observed.startsWith(oldPrefix)) {
				String rest = observed.substring(oldPrefix.length());
				String candidate = environmentVariable
						? KnownSettings.squashed(moved.getValue()) + rest
						: KnownSettings.dotted(moved.getValue()) + "." + rest;
				return known.documentedKey(candidate, environmentVariable);
			}
		}
		return Optional.empty();
	}

	/** Adds, after each property source that gives old keys, a source with the same values under the new keys. */
	static void apply(ConfigurableEnvironment environment, KnownSettings known, Log log) {
		for (PropertySource<?> source : List.copyOf(environment.getPropertySources().stream().toList())) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable) || source.getName().startsWith(SOURCE_PREFIX)) {
				continue;
			}
			boolean environmentVariables = source instanceof SystemEnvironmentPropertySource;
			Map<String, Object> renamed = new LinkedHashMap<>();
			for (String name : enumerable.getPropertyNames()) {
				newKey(name, environmentVariables, known).ifPresent(newKey -> {
					renamed.put(newKey, source.getProperty(name));
					log.warn("Khóa cấu hình " + name + " đã đổi tên thành " + newKey + ", hãy dùng tên mới / setting "
							+ name + " is renamed " + newKey + ": use the new name (" + source.getName() + ")");
				});
			}
			if (!renamed.isEmpty()) {
				environment.getPropertySources().addAfter(source.getName(),
						new MapPropertySource(SOURCE_PREFIX + source.getName(), renamed));
			}
		}
	}
}
