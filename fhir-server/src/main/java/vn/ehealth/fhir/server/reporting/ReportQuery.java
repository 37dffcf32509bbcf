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
 * Counts an indicator's population in a period, in total and per value of each stratifier: for whole
 * months from the monthly roll-up ({@link MonthlyRollup}), else in one pass over the fact rows ({@code GROUP BY GROUPING SETS}: the totals and every stratifier's groups
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

	/**
	 * The counts: summed from the monthly roll-up when the period is whole months (its cost follows the
	 * months, facilities and strata, not the records), else grouped from the period's fact rows.
	 */
	Result run(Request request, List<Stratifier> stratifiers) {
		return wholeMonths(request) && MonthlyRollup.strata(request.indicator()).containsAll(
				stratifiers.stream().map(Stratifier::rolledUpAs).filter(java.util.Objects::nonNull).toList())
				? fromRollup(request, stratifiers) : fromFacts(request, stratifiers);
	}

	static boolean wholeMonths(Request request) {
		return request.start().getDayOfMonth() == 1
				&& request.end().getDayOfMonth() == request.end().lengthOfMonth();
	}

	private Result fromFacts(Request request, List<Stratifier> stratifiers) {
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
		Map<Stratifier, Map<String, Cell>> strata = emptyStrata(grouped);
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

	/**
	 * Two reads of the period's roll-up rows: the totals grouped by month, facility and province (the
	 * stratifiers that are its key), and the other strata's values summed.
	 */
	private Result fromRollup(Request request, List<Stratifier> stratifiers) {
		List<Stratifier> keyed = stratifiers.stream().filter(s -> s.rolledUpAs() == null).toList();
		StringBuilder totals = new StringBuilder("SELECT ");
		StringBuilder sets = new StringBuilder("()");
		for (int i = 0; i < keyed.size(); i++) {
			String column = keyed.get(i) == Stratifier.MONTH ? "to_char(month, 'YYYY-MM')" : keyed.get(i).sql;
			totals.append("GROUPING(").append(column).append(") AS g").append(i).append(", ").append(column).append(" AS s").append(i)
					.append(", ");
			sets.append(", (").append(column).append(")");
		}
		totals.append("sum(n) AS n, sum(los_sum) AS los_sum, sum(los_n) AS los_n FROM ").append(MonthlyRollup.TABLE)
				.append(" WHERE stratum = '' AND ").append(rollupFilter(request)).append(" GROUP BY GROUPING SETS (").append(sets)
				.append(")");
		String strata = "SELECT stratum, value, sum(n) AS n, sum(los_sum) AS los_sum, sum(los_n) AS los_n FROM "
				+ MonthlyRollup.TABLE + " WHERE stratum <> '' AND " + rollupFilter(request) + " GROUP BY stratum, value";
		Cell total = new Cell(0, 0, 0);
		Map<Stratifier, Map<String, Cell>> cells = emptyStrata(stratifiers);
		try (Connection connection = dataSource.getConnection();
				PreparedStatement byKey = rollupStatement(connection, totals.toString(), request);
				PreparedStatement byStratum = rollupStatement(connection, strata, request)) {
			try (ResultSet rows = byKey.executeQuery()) {
				while (rows.next()) {
					Cell cell = new Cell(rows.getLong("n"), rows.getLong("los_sum"), rows.getLong("los_n"));
					int set = groupingSet(rows, keyed.size());
					if (set < 0) {
						total = cell;
					} else if (cell.count() != 0) {
						cells.get(keyed.get(set)).merge(rows.getString("s" + set), cell, Cell::plus);
					}
				}
			}
			try (ResultSet rows = byStratum.executeQuery()) {
				while (rows.next()) {
					Cell cell = new Cell(rows.getLong("n"), rows.getLong("los_sum"), rows.getLong("los_n"));
					for (Stratifier stratifier : stratifiers) {
						if (cell.count() != 0 && stratifier.rolledUpAs() != null
								&& stratifier.rolledUpAs().code.equals(rows.getString("stratum"))) {
							cells.get(stratifier).merge(stratifier.value(rows.getString("value")), cell, Cell::plus);
						}
					}
				}
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Report query failed: " + e.getMessage(), e);
		}
		return new Result(total, cells);
	}

	private static String rollupFilter(Request request) {
		return "indicator = ? AND month BETWEEN ? AND ?" + (request.facility() != null ? " AND facility = ?" : "")
				+ (request.province() != null ? " AND province = ?" : "");
	}

	private static PreparedStatement rollupStatement(Connection connection, String sql, Request request) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		int index = 1;
		statement.setString(index++, request.indicator().id);
		statement.setDate(index++, Date.valueOf(request.start()));
		statement.setDate(index++, Date.valueOf(request.end()));
		if (request.facility() != null) {
			statement.setString(index++, request.facility());
		}
		if (request.province() != null) {
			statement.setString(index, request.province());
		}
		return statement;
	}

	private static Map<Stratifier, Map<String, Cell>> emptyStrata(List<Stratifier> stratifiers) {
		Map<Stratifier, Map<String, Cell>> strata = new LinkedHashMap<>();
		stratifiers.forEach(s -> strata.put(s, new TreeMap<>(java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))));
		return strata;
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
