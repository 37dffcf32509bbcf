package vn.ehealth.fhir.server.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Every {@code vietfhir.*} key the settings records declare, read from the records' components (so a
 * list of records such as {@code bootstrap-clients[0].client-id}, or a map such as
 * {@code validation.modes.Observation}, is known with its shape). Names are compared as Spring's
 * relaxed binding compares them: case and dashes do not matter in a dotted name, and an environment
 * variable may write a dash as an underscore or leave it out (VIETFHIR_DATA_DIR, VIETFHIR_DATADIR).
 */
final class KnownSettings {

	/** The prefix every setting of the server starts with. */
	static final String ROOT = "vietfhir";

	private final List<Key> keys;

	private KnownSettings(List<Key> keys) {
		this.keys = List.copyOf(keys);
	}

	/** The keys of these {@code @ConfigurationProperties} records. */
	static KnownSettings of(Collection<Class<?>> settingsRecords) {
		List<Key> keys = new ArrayList<>();
		for (Class<?> type : settingsRecords) {
			addComponents(keys, new ArrayList<>(List.of(prefixOf(type).split("\\."))), type);
		}
		return new KnownSettings(keys);
	}

	/** The prefix of a {@code @ConfigurationProperties} type. */
	static String prefixOf(Class<?> type) {
		ConfigurationProperties annotation = AnnotationUtils.findAnnotation(type, ConfigurationProperties.class);
		if (annotation == null) {
			throw new IllegalArgumentException(type + " is not @ConfigurationProperties");
		}
		return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
	}

	/** Whether a property name (as a property source holds it) is a declared key. */
	boolean isKnown(String name, boolean environmentVariable) {
		String observed = environmentVariable ? squashed(name) : dotted(name);
		return keys.stream().anyMatch(key -> key.pattern(environmentVariable).matcher(observed).matches());
	}

	/** The declared key (as documented) that a plain name stands for, e.g. VIETFHIR_SYNC_ENABLED. */
	Optional<String> documentedKey(String name, boolean environmentVariable) {
		String observed = environmentVariable ? squashed(name) : dotted(name);
		return keys.stream()
				.filter(key -> key.pattern(environmentVariable).matcher(observed).matches())
				.map(Key::documented)
				.findFirst();
	}

	/** The declared key closest in spelling to an unknown name, if one is close enough to suggest. */
	Optional<String> closest(String name) {
		String observed = squashed(name);
		return keys.stream()
				.map(Key::documented)
				.min(Comparator.comparingInt(key -> distance(squashed(key), observed)))
				.filter(key -> distance(squashed(key), observed) <= Math.max(2, observed.length() / 6));
	}

	/** Every declared key, as documented ({@code []} an index, {@code .*} any map key). */
	List<String> documentedKeys() {
		return keys.stream().map(Key::documented).toList();
	}

	/** A dotted name in Spring's uniform form: lower case, no dashes, indexes as elements. */
	static String dotted(String name) {
		ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(name, '.');
		List<String> elements = new ArrayList<>();
		for (int i = 0; i < adapted.getNumberOfElements(); i++) {
			elements.add(adapted.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
		}
		return String.join(".", elements);
	}

	/** Letters and digits only, lower case: how an environment variable's name is compared. */
	static String squashed(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	private static void addComponents(List<Key> keys, List<String> path, Class<?> record) {
		for (RecordComponent component : record.getRecordComponents()) {
			List<String> name = new ArrayList<>(path);
			name.add(dashed(component.getName()));
			addKey(keys, name, component.getType(), component.getGenericType());
		}
	}

	private static void addKey(List<Key> keys, List<String> name, Class<?> type, Type generic) {
		if (isSettingsRecord(type)) {
			addComponents(keys, name, type);
		} else if (Map.class.isAssignableFrom(type)) {
			keys.add(new Key(name, Shape.ANY_MAP_KEY));
		} else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			Class<?> element = elementType(type, generic);
			if (isSettingsRecord(element)) {
				List<String> indexed = new ArrayList<>(name);
				indexed.set(indexed.size() - 1, indexed.get(indexed.size() - 1) + "[]");
				addComponents(keys, indexed, element);
			} else {
				keys.add(new Key(name, Shape.OPTIONAL_INDEX));
			}
		} else {
			keys.add(new Key(name, Shape.PLAIN));
		}
	}

	private static boolean isSettingsRecord(Class<?> type) {
		return type.isRecord() && !type.getName().startsWith("java.");
	}

	private static Class<?> elementType(Class<?> type, Type generic) {
		if (type.isArray()) {
			return type.getComponentType();
		}
		if (generic instanceof ParameterizedType parameterized
				&& parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
			return element;
		}
		return Object.class;
	}

	/** maxPageSize → max-page-size, the form the documentation and application.yaml use. */
	static String dashed(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private enum Shape {
		PLAIN,
		/** A list of plain values: {@code key=a,b} or {@code key[0]=a}. */
		OPTIONAL_INDEX,
		/** A map: {@code key.anything=value}. */
		ANY_MAP_KEY
	}

	/** One declared key; a segment ending in {@code []} is a list of records, indexed. */
	private record Key(List<String> segments, Shape shape, Pattern dottedPattern, Pattern squashedPattern) {

		Key(List<String> segments, Shape shape) {
			this(segments, shape, pattern(segments, shape, "\\."), pattern(segments, shape, ""));
		}

		Pattern pattern(boolean environmentVariable) {
			return environmentVariable ? squashedPattern : dottedPattern;
		}

		String documented() {
			String key = String.join(".", segments);
			return shape == Shape.ANY_MAP_KEY ? key + ".*" : key;
		}

		private static Pattern pattern(List<String> segments, Shape shape, String separator) {
			StringBuilder regex = new StringBuilder();
			for (String segment : segments) {
				boolean indexed = segment.endsWith("[]");
				String plain = segment.replace("[]", "");
				if (regex.length() > 0) {
					regex.append(separator);
				}
				regex.append(Pattern.quote(separator.isEmpty() ? squashed(plain) : dotted(plain)));
				if (indexed) {
					regex.append(separator).append("\\d+");
				}
			}
			switch (shape) {
				case OPTIONAL_INDEX -> regex.append("(").append(separator).append("\\d+)?");
				case ANY_MAP_KEY -> regex.append(separator).append(".+");
				case PLAIN -> { }
			}
			return Pattern.compile(regex.toString());
		}
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}
}
