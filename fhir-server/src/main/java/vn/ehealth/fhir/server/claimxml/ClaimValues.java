package vn.ehealth.fhir.server.claimxml;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Money;

/**
 * Field formats of the QĐ 4750 tables (shared/docs/claims-xml/README.md "Formats that matter"): times
 * {@code yyyyMMddHHmm} in local time (Asia/Ho_Chi_Minh, +07:00 all year), dates {@code yyyyMMdd},
 * NGAY_SINH with {@code 0000} for an unknown time, day or month, amounts in VND with a decimal point.
 * An impossible value is refused with the row's path, the field and the value.
 */
final class ClaimValues {

	/** Vietnam keeps one offset all year (no daylight saving). */
	static final String OFFSET = "+07:00";
	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuuMMddHHmm");
	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd");

	private ClaimValues() {}

	/** A {@code yyyyMMddHHmm} field (yyyyMMdd accepted) as a FHIR dateTime, or null when empty. */
	static DateTimeType dateTime(Submission.Row row, String field) {
		String value = row.get(field);
		if (value == null) {
			return null;
		}
		try {
			if (value.length() == 8) {
				return new DateTimeType(LocalDate.parse(value, DAY).toString());
			}
			LocalDateTime time = LocalDateTime.parse(value, MINUTE.withResolverStyle(java.time.format.ResolverStyle.STRICT));
			return new DateTimeType(time.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + OFFSET);
		} catch (DateTimeException e) {
			throw impossible(row, field, value, "yyyyMMddHHmm");
		}
	}

	/** A {@code yyyyMMdd} field (card validity) as a FHIR dateTime of that day. */
	static DateTimeType day(Submission.Row row, String field, String value) {
		try {
			return new DateTimeType(LocalDate.parse(value, DAY.withResolverStyle(java.time.format.ResolverStyle.STRICT)).toString());
		} catch (DateTimeException e) {
			throw impossible(row, field, value, "yyyyMMdd");
		}
	}

	/**
	 * NGAY_SINH: 12 characters {@code yyyyMMddHHmm} (8 accepted); {@code 0000} for an unknown month and
	 * day gives the year alone ({@code 198500000000} is "born in 1985"), {@code 00} for an unknown day
	 * the year and month. The hour is kept for newborns only, and FHIR's birthDate has no time: it goes
	 * to the patient-birthTime extension by the caller.
	 */
	static DateType birthDate(Submission.Row row) {
		String value = row.get("NGAY_SINH");
		if (value == null) {
			return null;
		}
		if (!value.matches("[0-9]{8}([0-9]{4})?")) {
			throw impossible(row, "NGAY_SINH", value, "yyyyMMddHHmm");
		}
		String year = value.substring(0, 4);
		String month = value.substring(4, 6);
		String dayOfMonth = value.substring(6, 8);
		try {
			if (month.equals("00")) {
				return new DateType(year);
			}
			if (dayOfMonth.equals("00")) {
				java.time.YearMonth.of(Integer.parseInt(year), Integer.parseInt(month));
				return new DateType(year + "-" + month);
			}
			return new DateType(LocalDate.parse(value.substring(0, 8), DAY.withResolverStyle(java.time.format.ResolverStyle.STRICT)).toString());
		} catch (DateTimeException e) {
			throw impossible(row, "NGAY_SINH", value, "yyyyMMddHHmm, 0000 for an unknown day and month");
		}
	}

	static BigDecimal decimal(Submission.Row row, String field) {
		String value = row.get(field);
		if (value == null) {
			return null;
		}
		try {
			return new BigDecimal(value.replace(",", "."));
		} catch (NumberFormatException e) {
			throw impossible(row, field, value, "a number");
		}
	}

	static Money vnd(BigDecimal amount) {
		return amount == null ? null : new Money().setValue(amount).setCurrency("VND");
	}

	// ------------------------------------------------------------------ the way out ($claim-xml)

	/**
	 * A FHIR date or dateTime as a table field: {@code yyyyMMddHHmm} in local time (+07:00), or
	 * {@code yyyyMMdd} when only the day is known (a field sent as a day comes back as a day).
	 */
	static String time(org.hl7.fhir.r4.model.BaseDateTimeType value) {
		if (value == null || value.getValue() == null) {
			return null;
		}
		if (value.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
			return day(value);
		}
		return value.getValue().toInstant().atOffset(java.time.ZoneOffset.of(OFFSET)).format(MINUTE);
	}

	/** A FHIR date or dateTime as a {@code yyyyMMdd} field (the day in local time); 00 for an unknown month or day. */
	static String day(org.hl7.fhir.r4.model.BaseDateTimeType value) {
		if (value == null || value.getValue() == null) {
			return null;
		}
		String text = value.getValueAsString();
		return switch (value.getPrecision()) {
			case YEAR -> text.substring(0, 4) + "0000";
			case MONTH -> text.substring(0, 4) + text.substring(5, 7) + "00";
			case DAY -> text.substring(0, 4) + text.substring(5, 7) + text.substring(8, 10);
			default -> value.getValue().toInstant().atOffset(java.time.ZoneOffset.of(OFFSET)).format(DAY);
		};
	}

	/** NGAY_SINH back from birthDate: 12 characters, {@code 0000} for the unknown hour (and day and month), as {@link #birthDate} reads it. */
	static String birthDate(DateType birthDate) {
		String day = day(birthDate);
		return day == null ? null : day + "0000";
	}

	/** An amount or quantity as written in the tables: plain digits, a decimal point, no exponent. */
	static String number(BigDecimal value) {
		return value == null ? null : value.toPlainString();
	}

	private static RuntimeException impossible(Submission.Row row, String field, String value, String format) {
		return ClaimXmlRefusals.refused(row.path() + "/" + field, "Giá trị '" + value + "' của " + field
				+ " không hợp lệ (định dạng " + format + ")", "The value '" + value + "' of " + field
				+ " is impossible (format " + format + ")");
	}
}
