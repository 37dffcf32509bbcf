package vn.ehealth.fhir.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from the metadata the configuration processor writes from the
 * settings records (their Javadoc and defaults); this test fails when the file is out of date.
 */
class ConfigurationReferenceTest {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
	private static final Path REFERENCE = Path.of("../docs/configuration.md");
	private static final String REGENERATE = "mvn -B -o -pl fhir-server -am test -Dtest=ConfigurationReferenceTest"
			+ " -Dsurefire.failIfNoSpecifiedTests=false -DwriteConfigurationReference=true";

	@Test
	void configurationReferenceIsUpToDate() throws IOException {
		String generated = ConfigurationReference.render(new ObjectMapper().readTree(METADATA.toFile()));
		if (Boolean.getBoolean("writeConfigurationReference")) {
			Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
		}
		String current = Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
		assertThat(current)
				.withFailMessage("docs/configuration.md is out of date with the settings records; regenerate it with:%n  %s",
						REGENERATE)
				.isEqualTo(generated);
	}

	/** The Markdown reference: one table per settings record. */
	static final class ConfigurationReference {

		static String render(JsonNode metadata) {
			StringBuilder out = new StringBuilder();
			out.append("# Cấu hình / Configuration reference\n\n")
					.append("<!-- Generated from the settings records by ConfigurationReferenceTest; do not edit. -->\n\n")
					.append("Mọi khóa `vietfhir.*` mà máy chủ đọc. Khóa sai chính tả hay giá trị sai làm máy chủ dừng khi khởi động,\n")
					.append("kèm thông báo nêu tên khóa. Biến môi trường: viết hoa, thay `.` và `-` bằng `_`.\n\n")
					.append("Every `vietfhir.*` key the server reads. A misspelt key or an invalid value stops the server at startup\n")
					.append("with a message naming the key. Environment variables: upper case, `.` and `-` written as `_`\n")
					.append("(`vietfhir.fhir.max-page-size` → `VIETFHIR_FHIR_MAX_PAGE_SIZE`); a list element or a map entry adds\n")
					.append("its index or key (`VIETFHIR_FHIR_CORS_ALLOWED_ORIGINS_0`, `vietfhir.validation.modes.Observation`).\n");
			List<JsonNode> properties = StreamSupport.stream(metadata.get("properties").spliterator(), false)
					.filter(property -> property.get("name").asText().startsWith(KnownSettings.ROOT + "."))
					.toList();
			Map<String, List<JsonNode>> bySource = properties.stream().collect(Collectors.groupingBy(
					property -> property.get("sourceType").asText(), java.util.TreeMap::new, Collectors.toList()));
			List<Map.Entry<String, List<JsonNode>>> groups = new ArrayList<>(bySource.entrySet());
			groups.sort(java.util.Comparator.comparing(group -> group.getValue().get(0).get("name").asText()));
			for (Map.Entry<String, List<JsonNode>> group : groups) {
				String source = group.getKey();
				out.append("\n## ").append(source.substring(source.lastIndexOf('.') + 1).replace('$', '.'))
						.append("\n\n`").append(source.replace('$', '.')).append("`\n\n")
						.append("| Key | Type | Default | Description |\n| --- | --- | --- | --- |\n");
				for (JsonNode property : group.getValue()) {
					out.append("| `").append(property.get("name").asText()).append("` | ")
							.append(type(property.get("type").asText())).append(" | ")
							.append(defaultValue(property.get("defaultValue"))).append(" | ")
							.append(description(property.path("description").asText())).append(" |\n");
				}
			}
			out.append("\n## Khóa đã đổi tên / Renamed keys\n\n")
					.append("Vẫn đọc được, kèm cảnh báo khi khởi động / Still read, with a warning at startup.\n\n")
					.append("| Old key | New key |\n| --- | --- |\n");
			RenamedSettings.moved().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(moved ->
					out.append("| `").append(moved.getKey()).append(".*` | `").append(moved.getValue()).append(".*` |\n"));
			return out.toString();
		}

		private static String type(String javaType) {
			try {
				Class<?> type = Class.forName(javaType);
				if (type.isEnum()) {
					return Arrays.stream(type.getEnumConstants())
							.map(constant -> "`" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-') + "`")
							.collect(Collectors.joining(" \\| "));
				}
			} catch (ClassNotFoundException e) {
				// a generic type (List<…>, Map<…>): named below
			}
			String simple = javaType.replaceAll("[\\w.]*\\.(\\w+)", "$1").replace('$', '.');
			return switch (simple) {
				case "Integer" -> "int";
				case "Long" -> "long";
				case "Boolean" -> "boolean";
				default -> simple.replace("<", "&lt;").replace(">", "&gt;")
						.replaceAll("\\w+\\.(\\w+)", "$1");
			};
		}

		private static String defaultValue(JsonNode value) {
			if (value == null || value.isNull()) {
				return "";
			}
			if (value.isArray()) {
				return StreamSupport.stream(value.spliterator(), false)
						.map(element -> "`" + element.asText() + "`")
						.collect(Collectors.joining(", "));
			}
			return value.asText().isEmpty() ? "`\"\"`" : "`" + value.asText() + "`";
		}

		private static String description(String javadoc) {
			return javadoc.replaceAll("\\{@code ([^}]*)}", "`$1`")
					.replaceAll("\\s+", " ")
					.replace("|", "\\|")
					.trim();
		}
	}
}
