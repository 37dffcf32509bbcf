package vn.ehealth.fhir.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinColumns;
import jakarta.persistence.Table;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * HAPI's schema as its JPA entities declare it (the HAPI on the classpath) against what
 * {@link HapiTables} names: after a HAPI upgrade this fails when a table or column we read moved.
 */
class HapiTablesTest {

	/** Upper-case words in the SQL texts that are SQL, not names in HAPI's schema. */
	private static final Set<String> SQL_WORDS = Set.of("SELECT", "DISTINCT", "FROM", "WHERE", "JOIN", "ON", "AND", "OR",
			"NOT", "IS", "NULL", "IN", "ANY", "EXISTS", "LIMIT", "ORDER", "BY", "GROUP", "UNION", "ALL", "AS", "WITH",
			"OVER", "PARTITION", "ROW_NUMBER", "DESC", "ASC", "CASE", "WHEN", "THEN", "END");
	private static final Pattern UPPER_CASE_WORD = Pattern.compile("\\b[A-Z][A-Z0-9_]*\\b");
	private static final Pattern STRING_LITERAL = Pattern.compile("'[^']*'");

	/** Where HAPI 8 keeps its JPA entities (resources and indexes; terminology); a table not found: look here first. */
	private static final List<String> ENTITY_PACKAGES = List.of("ca.uhn.fhir.jpa.model.entity", "ca.uhn.fhir.jpa.entity");

	/** Table name (upper case) to the column names (upper case) its entity maps. */
	private static final Map<String, Set<String>> HAPI_SCHEMA = new HashMap<>();

	@BeforeAll
	static void readHapisEntities() throws ClassNotFoundException {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(Entity.class));
		for (String entities : ENTITY_PACKAGES) {
			for (BeanDefinition found : scanner.findCandidateComponents(entities)) {
				Class<?> entity = Class.forName(found.getBeanClassName());
				Table table = entity.getAnnotation(Table.class);
				if (table != null) {
					columnsOf(entity, HAPI_SCHEMA.computeIfAbsent(upper(table.name()), t -> new TreeSet<>()));
				}
			}
		}
		assertThat(HAPI_SCHEMA).as("HAPI's JPA entities on the classpath").containsKey("HFJ_RESOURCE");
	}

	@Test
	void everyTableAndColumnHapiTablesNamesIsInHapisEntities() {
		List<String> missing = new ArrayList<>();
		HapiTables.NAMES.forEach((table, columns) -> {
			Set<String> mapped = HAPI_SCHEMA.get(table);
			if (mapped == null) {
				missing.add(table);
				return;
			}
			columns.stream().filter(column -> !mapped.contains(column)).forEach(column -> missing.add(table + "." + column));
		});
		assertThat(missing).as("names HapiTables uses that HAPI's JPA entities (@Table, @Column, @JoinColumn) lack").isEmpty();
	}

	@Test
	void everyNameInHapiTablesSqlIsListedInNames() throws IllegalAccessException {
		Set<String> listed = new TreeSet<>(HapiTables.NAMES.keySet());
		HapiTables.NAMES.values().forEach(listed::addAll);
		Set<String> unlisted = new TreeSet<>();
		for (String sql : sqlTexts()) {
			Matcher word = UPPER_CASE_WORD.matcher(STRING_LITERAL.matcher(sql).replaceAll("''"));
			while (word.find()) {
				if (!SQL_WORDS.contains(word.group()) && !listed.contains(word.group())) {
					unlisted.add(word.group());
				}
			}
		}
		assertThat(unlisted).as("upper-case names in HapiTables' SQL that HapiTables.NAMES does not list").isEmpty();
	}

	/** Only HapiTables names HAPI's tables in SQL: a query elsewhere would escape both schema tests. */
	@Test
	void noOtherMainSourceNamesHapisTablesInAString() throws IOException {
		Pattern hapiTableInString = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\\b(?:HFJ|NPM_PACKAGE|TRM|BT2|MPI)_[A-Z_]+");
		List<String> found = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
				if (source.endsWith("HapiTables.java")) {
					continue;
				}
				List<String> lines = Files.readAllLines(source);
				for (int i = 0; i < lines.size(); i++) {
					String code = lines.get(i).trim();
					if (!code.startsWith("*") && !code.startsWith("//") && hapiTableInString.matcher(code).find()) {
						found.add(source + ":" + (i + 1));
					}
				}
			}
		}
		assertThat(found).as("SQL naming HAPI's tables outside storage/HapiTables").isEmpty();
	}

	/** Every String constant of HapiTables and its nested classes, and what its methods build. */
	private static List<String> sqlTexts() throws IllegalAccessException {
		List<String> texts = new ArrayList<>();
		List<Class<?>> owners = new ArrayList<>(List.of(HapiTables.class.getDeclaredClasses()));
		owners.add(HapiTables.class);
		for (Class<?> owner : owners) {
			for (Field field : owner.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
					field.setAccessible(true);
					texts.add((String) field.get(null));
				}
			}
		}
		texts.add(HapiTables.tagsOfRows(""));
		return texts;
	}

	/** The columns an entity maps, with its mapped superclasses and embedded ids and parts. */
	private static void columnsOf(Class<?> type, Set<String> columns) {
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			for (Field field : c.getDeclaredFields()) {
				columnsOn(field, columns);
				if (field.isAnnotationPresent(EmbeddedId.class) || field.isAnnotationPresent(Embedded.class)) {
					columnsOf(field.getType(), columns);
				}
			}
			for (AnnotatedElement method : c.getDeclaredMethods()) {
				columnsOn(method, columns);
			}
		}
	}

	private static void columnsOn(AnnotatedElement element, Set<String> columns) {
		Column column = element.getAnnotation(Column.class);
		if (column != null && !column.name().isEmpty()) {
			columns.add(upper(column.name()));
		}
		JoinColumn join = element.getAnnotation(JoinColumn.class);
		if (join != null && !join.name().isEmpty()) {
			columns.add(upper(join.name()));
		}
		JoinColumns joins = element.getAnnotation(JoinColumns.class);
		if (joins != null) {
			for (JoinColumn each : joins.value()) {
				columns.add(upper(each.name()));
			}
		}
		AttributeOverride override = element.getAnnotation(AttributeOverride.class);
		if (override != null) {
			columns.add(upper(override.column().name()));
		}
		AttributeOverrides overrides = element.getAnnotation(AttributeOverrides.class);
		if (overrides != null) {
			for (AttributeOverride each : overrides.value()) {
				columns.add(upper(each.column().name()));
			}
		}
	}

	private static String upper(String name) {
		return name.toUpperCase(Locale.ROOT);
	}
}
