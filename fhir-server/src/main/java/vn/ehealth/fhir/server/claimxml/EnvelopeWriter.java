package vn.ehealth.fhir.server.claimxml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an episode's tables as the submission envelope {@code GIAMDINHHS} the portal takes and
 * {@link SubmissionReader} reads (shared/docs/claims-xml/README.md): each table its own UTF-8 XML
 * document, base64 in {@code FILEHOSO/NOIDUNGFILE}, fields in the annex's order
 * ({@code claimxml/qd4750-field-order.tsv}), empty fields left out. {@code CHUKYDONVI} is left empty:
 * the facility signs the envelope with its own certificate before sending it.
 */
final class EnvelopeWriter {

	/** Root, list and row elements of a table; list and row null for a table of one row written under its root. */
	private record Layout(String root, String list, String row) {}

	private static final Map<String, Layout> LAYOUTS = Map.ofEntries(
			Map.entry(ClaimTables.XML1, new Layout("TONG_HOP", null, null)),
			Map.entry(ClaimTables.XML2, new Layout("CHITIEU_CHITIET_THUOC", "DSACH_CHI_TIET_THUOC", "CHI_TIET_THUOC")),
			Map.entry(ClaimTables.XML3, new Layout("CHITIEU_CHITIET_DVKT_VTYT", "DSACH_CHI_TIET_DVKT", "CHI_TIET_DVKT")),
			Map.entry(ClaimTables.XML4, new Layout("CHITIEU_CHITIET_DICHVUCANLAMSANG", "DSACH_CHI_TIET_CLS", "CHI_TIET_CLS")),
			Map.entry(ClaimTables.XML5, new Layout("CHITIEU_CHITIET_DIENBIENLAMSANG", "DSACH_CHI_TIET_DIEN_BIEN_BENH",
					"CHI_TIET_DIEN_BIEN_BENH")),
			Map.entry(PaperMapping.XML7, new Layout("CHI_TIEU_GIAYRAVIEN", null, null)),
			Map.entry(PaperMapping.XML8, new Layout("CHI_TIEU_TOMTATHSBA", null, null)),
			Map.entry(PaperMapping.XML10, new Layout("CHI_TIEU_GIAYNGHIDUONGTHAI", null, null)),
			Map.entry(PaperMapping.XML11, new Layout("CHI_TIEU_GIAYNGHIHUONGBHXH", null, null)),
			Map.entry(PaperMapping.XML13, new Layout("CHI_TIEU_GIAYCHUYENTUYEN", null, null)),
			Map.entry(PaperMapping.XML14, new Layout("CHI_TIEU_GIAYHENKHAMLAI", null, null)),
			Map.entry(PaperMapping.XML15, new Layout("CHI_TIEU_DIEUTRI_BENHLAO", "DSACH_CHITIET_DIEUTRI_BENHLAO",
					"CHITIET_DIEUTRI_BENHLAO")));

	/** Each written table's fields in the annex's order. */
	static final Map<String, List<String>> FIELD_ORDER = fieldOrder();

	private EnvelopeWriter() {}

	/** The envelope of one episode of {@code facility}: its tables by name, in the order given. */
	static byte[] envelope(String facility, Map<String, List<OutRow>> tables) {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GIAMDINHHS>\n")
				.append("  <THONGTINDONVI><MACSKCB>").append(escape(facility)).append("</MACSKCB></THONGTINDONVI>\n")
				.append("  <THONGTINHOSO>\n    <NGAYLAP>")
				.append(LocalDate.now(ZoneOffset.of(ClaimValues.OFFSET)).format(DateTimeFormatter.BASIC_ISO_DATE))
				.append("</NGAYLAP>\n    <SOLUONGHOSO>1</SOLUONGHOSO>\n    <DANHSACHHOSO>\n      <HOSO>\n");
		tables.forEach((table, rows) -> xml.append("        <FILEHOSO><LOAIHOSO>").append(table).append("</LOAIHOSO><NOIDUNGFILE>")
				.append(Base64.getEncoder().encodeToString(table(table, rows).getBytes(StandardCharsets.UTF_8)))
				.append("</NOIDUNGFILE></FILEHOSO>\n"));
		xml.append("      </HOSO>\n    </DANHSACHHOSO>\n  </THONGTINHOSO>\n  <CHUKYDONVI/>\n</GIAMDINHHS>\n");
		return xml.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** One table's own XML document; rows of tables that number them get STT 1, 2, … */
	static String table(String table, List<OutRow> rows) {
		Layout layout = LAYOUTS.get(table);
		List<String> order = FIELD_ORDER.getOrDefault(table, List.of());
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(layout.root()).append('>');
		if (layout.list() != null) {
			xml.append('<').append(layout.list()).append('>');
		}
		for (int i = 0; i < rows.size(); i++) {
			OutRow row = rows.get(i);
			if (order.contains("STT")) {
				row.put("STT", String.valueOf(i + 1));
			}
			if (layout.row() != null) {
				xml.append('<').append(layout.row()).append('>');
			}
			List<String> fields = new ArrayList<>(order);
			row.fields().keySet().stream().filter(f -> !order.contains(f)).forEach(fields::add);
			for (String field : fields) {
				String value = row.get(field);
				if (value != null) {
					xml.append('<').append(field).append('>').append(escape(value)).append("</").append(field).append('>');
				}
			}
			if (layout.row() != null) {
				xml.append("</").append(layout.row()).append('>');
			}
		}
		if (layout.list() != null) {
			xml.append("</").append(layout.list()).append('>');
		}
		return xml.append("</").append(layout.root()).append(">\n").toString();
	}

	private static Map<String, List<String>> fieldOrder() {
		Map<String, List<String>> order = new LinkedHashMap<>();
		try (InputStream in = EnvelopeWriter.class.getResourceAsStream("/claimxml/qd4750-field-order.tsv")) {
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (!line.isBlank() && !line.startsWith("#")) {
					String[] parts = line.split("\t");
					order.computeIfAbsent(parts[0], t -> new ArrayList<>()).add(parts[1].trim());
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		order.replaceAll((table, fields) -> List.copyOf(fields));
		return Map.copyOf(order);
	}

	private static String escape(String value) {
		return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
