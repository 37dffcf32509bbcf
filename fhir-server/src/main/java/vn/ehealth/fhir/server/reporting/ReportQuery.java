package vn.ehealth.fhir.server.reporting;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Counts an indicator's population in a period, in total and per value of each stratifier, in one
 * pass over the fact rows ({@code GROUP BY GROUPING SETS}: the totals and every stratifier's groups
 * from a single scan of the period's index range).
 */
final class ReportQuery {

	/** A request: the indicator, the period (both days included), and the optional filters. */
	record Request(Indicator indicator, LocalDate start, LocalDate end, String facility, String province) {}

	/** One count: how many, and the sum and number of lengths of stay among them (for the mean). */
	record Cell(long count, long losSum, long losCount) {
		Cell plus(Cell other) {
			return new Cell(count + other.count, losSum + other.losSum, losCount + other.losCount);
		}

		Double meanLengthOfStay() {
			return losCount == 0 ? null : (double) losSum / losCount;
		}
	}

	/** The totals and, per stratifier, its cells by value (null: value unknown), in value order. */
	record Result(Cell total, Map<Stratifier, Map<String, Cell>> strata) {}

	private final DataSource dataSource;

	ReportQuery(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	Result run(Request request, List<Stratifier> stratifiers) {
		List<Stratifier> grouped = stratifiers;
		StringBuilder sql = new StringBuilder("SELECT ");
		for (int i = 0; i < grouped.size(); i++) {
			sql.append("GROUPING(s").append(i).append(") AS g").append(i).append(", s").append(i).append(", ");
		}
		sql.append("count(*) AS n, coalesce(sum(los), 0) AS los_sum, count(los) AS los_n FROM (SELECT ");
		for (int i = 0; i < grouped.size(); i++) {
			sql.append(grouped.get(i).sql).append(" AS s").append(i).append(", ");
		}
		sql.append("los FROM (").append(request.indicator().population).append(") population WHERE true");
		if (request.facility() != null) {
			sql.append(" AND facility = ?");
		}
		if (request.province() != null) {
			sql.append(" AND province = ?");
		}
		sql.append(") rows GROUP BY GROUPING SETS (()");
		for (int i = 0; i < grouped.size(); i++) {
			sql.append(", (s").append(i).append(")");
		}
		sql.append(")");
		Cell total = new Cell(0, 0, 0);
		Map<Stratifier, Map<String, Cell>> strata = new LinkedHashMap<>();
		grouped.forEach(s -> strata.put(s, new TreeMap<>(java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))));
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql.toString())) {
			int index = 1;
			for (int i = 0; i < request.indicator().periodBindings(); i++) {
				statement.setDate(index++, Date.valueOf(request.start()));
				statement.setDate(index++, Date.valueOf(request.end()));
			}
			if (request.facility() != null) {
				statement.setString(index++, request.facility());
			}
			if (request.province() != null) {
				statement.setString(index++, request.province());
			}
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					Cell cell = new Cell(rows.getLong("n"), rows.getLong("los_sum"), rows.getLong("los_n"));
					int set = groupingSet(rows, grouped.size());
					if (set < 0) {
						total = cell;
					} else {
						Stratifier stratifier = grouped.get(set);
						String value = stratifier.value(rows.getString("s" + set));
						strata.get(stratifier).merge(value, cell, Cell::plus);
					}
				}
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Report query failed: " + e.getMessage(), e);
		}
		return new Result(total, strata);
	}

	/** Which stratifier a row groups by (its GROUPING flag is 0), or -1 for the totals row. */
	private static int groupingSet(ResultSet rows, int count) throws SQLException {
		for (int i = 0; i < count; i++) {
			if (rows.getInt("g" + i) == 0) {
				return i;
			}
		}
		return -1;
	}

	/** Facility names by code, for the strata's displays. */
	Map<String, String> facilityNames(List<String> codes) {
		Map<String, String> names = new HashMap<>();
		if (codes.isEmpty()) {
			return names;
		}
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT code, name FROM vf_report_facility WHERE code = ANY (?)")) {
			statement.setArray(1, connection.createArrayOf("varchar", new ArrayList<>(codes).toArray()));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					names.putIfAbsent(rows.getString(1), rows.getString(2));
				}
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Facility names not read: " + e.getMessage(), e);
		}
		return names;
	}
}
