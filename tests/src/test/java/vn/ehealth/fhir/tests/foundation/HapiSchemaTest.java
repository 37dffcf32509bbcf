package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.server.storage.HapiTables;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The tables and columns of HAPI's schema that export, $everything/$summary and the full-text
 * rebuild read directly (storage/HapiTables) exist in the schema HAPI created in the real
 * PostgreSQL: after a HAPI upgrade this fails before any of those features does.
 */
class HapiSchemaTest {

	private final JdbcTemplate jdbc = new JdbcTemplate(TestServer.shared().context().getBean(DataSource.class));

	@Test
	void everyTableAndColumnHapiTablesNamesExistsInTheDatabase() {
		assertThat(missing(HapiTables.NAMES)).as("names in HapiTables.NAMES that PostgreSQL's information_schema lacks")
				.isEmpty();
	}

	/** The check above can fail: a misspelt column and table are reported. */
	@Test
	void aNameTheSchemaLacksIsReported() {
		assertThat(missing(Map.of("HFJ_RESOURCE", Set.of("RES_UPDATD"), "HFJ_RES_VERSION", Set.of())))
				.containsExactlyInAnyOrder("HFJ_RESOURCE.RES_UPDATD", "HFJ_RES_VERSION");
	}

	/** Tables and table.columns of these names absent from the server's schema (names unquoted, so case-folded). */
	private List<String> missing(Map<String, Set<String>> names) {
		List<String> missing = new ArrayList<>();
		names.forEach((table, columns) -> {
			if (count("SELECT count(*) FROM information_schema.tables"
					+ " WHERE table_schema = current_schema() AND table_name = lower(?)", table) == 0) {
				missing.add(table);
				return;
			}
			for (String column : columns) {
				if (count("SELECT count(*) FROM information_schema.columns"
						+ " WHERE table_schema = current_schema() AND table_name = lower(?) AND column_name = lower(?)",
						table, column) == 0) {
					missing.add(table + "." + column);
				}
			}
		});
		return missing;
	}

	private long count(String sql, Object... parameters) {
		Long count = jdbc.queryForObject(sql, Long.class, parameters);
		return count == null ? 0 : count;
	}
}
