package vn.ehealth.fhir.server.reporting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** A {@link ReportTable} written as CSV (UTF-8 with a BOM, so Excel reads Vietnamese right) or XLSX. */
final class ReportFiles {

	private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

	private ReportFiles() {}

	/** RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line break quoted. */
	static byte[] csv(ReportTable table) {
		StringBuilder text = new StringBuilder();
		line(text, table.headers());
		table.rows().forEach(row -> line(text, row));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(BOM);
		out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private static void line(StringBuilder text, List<?> fields) {
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0) {
				text.append(',');
			}
			Object field = fields.get(i);
			String value = field == null ? "" : field.toString();
			if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
				value = "\"" + value.replace("\"", "\"\"") + "\"";
			}
			text.append(value);
		}
		text.append("\r\n");
	}

	static byte[] xlsx(ReportTable table, String sheetName) {
		try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			Sheet sheet = workbook.createSheet(sheetName);
			Row header = sheet.createRow(0);
			for (int i = 0; i < table.headers().size(); i++) {
				header.createCell(i).setCellValue(table.headers().get(i));
			}
			int r = 1;
			for (List<Object> values : table.rows()) {
				Row row = sheet.createRow(r++);
				for (int i = 0; i < values.size(); i++) {
					Object value = values.get(i);
					if (value == null) {
						continue;
					}
					Cell cell = row.createCell(i);
					if (value instanceof Number number) {
						cell.setCellValue(number.doubleValue());
					} else {
						cell.setCellValue(value.toString());
					}
				}
			}
			workbook.write(out);
			return out.toByteArray();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
