package vn.ehealth.fhir.server.claimxml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads a claim submission: the envelope {@code GIAMDINHHS} as sent to the social-insurance portal
 * (each table base64 in {@code FILEHOSO/NOIDUNGFILE}), or a bare table set of one episode (the tables'
 * own XML documents under any one root element, or XML1's {@code TONG_HOP} alone). Namespace
 * prefixes and the order of tables do not matter. Anything it cannot read whole is refused with a
 * 400 naming the place: nothing of a half-read submission is stored.
 */
final class SubmissionReader {

	private final SafeXml xml;
	private final long maxBytes;
	private final EnvelopeSignatures signatures;

	SubmissionReader(ClaimXmlSettings settings) {
		this.xml = new SafeXml(settings.maxDepth());
		this.maxBytes = settings.maxEnvelopeSize().toBytes();
		this.signatures = EnvelopeSignatures.of(settings.signature());
	}

	Submission read(byte[] body) {
		return read(body, "");
	}

	/**
	 * Reads one envelope; {@code source} (a file's name in a ZIP, with a trailing {@code /}, or empty)
	 * prefixes the XML paths of its episodes, so a problem names the file too.
	 */
	Submission read(byte[] body, String source) {
		if (body.length == 0) {
			throw ClaimXmlRefusals.refused(null, "Thân yêu cầu rỗng", "The request body is empty");
		}
		if (body.length > maxBytes) {
			throw tooLarge(null);
		}
		Document document = xml.parse(body, "request body");
		// checked on the DOM read below, before its tables are decoded: what is signed is what is read
		EnvelopeSignature signature = signatures.checked(document, source);
		Element root = document.getDocumentElement();
		return ("GIAMDINHHS".equals(root.getLocalName()) ? envelope(root, source) : bareTableSet(root, source)).signed(signature);
	}

	private Submission envelope(Element root, String source) {
		String facility = text(child(child(root, "THONGTINDONVI"), "MACSKCB"));
		Element list = child(child(root, "THONGTINHOSO"), "DANHSACHHOSO");
		List<Element> hoso = list == null ? List.of() : children(list, "HOSO");
		if (hoso.isEmpty()) {
			throw ClaimXmlRefusals.refused("GIAMDINHHS/THONGTINHOSO/DANHSACHHOSO",
					"Phong bì không có hồ sơ (HOSO) nào", "The envelope holds no episode (HOSO)");
		}
		long decodedBytes = 0;
		List<Submission.Episode> episodes = new ArrayList<>();
		for (int h = 0; h < hoso.size(); h++) {
			String episodePath = source + "HOSO[" + (h + 1) + "]";
			Map<String, List<Submission.Row>> tables = new LinkedHashMap<>();
			List<Element> files = children(hoso.get(h), "FILEHOSO");
			for (int f = 0; f < files.size(); f++) {
				String filePath = episodePath + "/FILEHOSO[" + (f + 1) + "]";
				String type = text(child(files.get(f), "LOAIHOSO"));
				String table = ClaimTables.byName(type).orElseThrow(() -> unknownTable(filePath + "/LOAIHOSO", type));
				byte[] content = base64(text(child(files.get(f), "NOIDUNGFILE")), filePath + "/NOIDUNGFILE");
				decodedBytes += content.length;
				if (decodedBytes > maxBytes) {
					throw tooLarge(filePath);
				}
				Document document = xml.parse(content, filePath + "/NOIDUNGFILE (" + table + ")");
				tables.put(table, rows(document.getDocumentElement(), episodePath + "/" + table));
			}
			episodes.add(episode(episodePath, tables));
		}
		return new Submission(facility, episodes);
	}

	private Submission bareTableSet(Element root, String source) {
		Map<String, List<Submission.Row>> tables = new LinkedHashMap<>();
		List<Element> tableRoots = ClaimTables.byElement(root.getLocalName()).isPresent() ? List.of(root) : children(root, null);
		for (Element tableRoot : tableRoots) {
			String table = ClaimTables.byElement(tableRoot.getLocalName())
					.orElseThrow(() -> unknownTable(root.getLocalName() + "/" + tableRoot.getLocalName(), tableRoot.getLocalName()));
			tables.put(table, rows(tableRoot, table));
		}
		Submission.Episode episode = episode(source + "HOSO[1]", tables);
		return new Submission(episode.summary().get("MA_CSKCB"), List.of(episode));
	}

	/** An episode needs its XML1 row with MA_LK; every row of its other tables must carry the same MA_LK. */
	private static Submission.Episode episode(String path, Map<String, List<Submission.Row>> tables) {
		List<Submission.Row> summary = tables.get(ClaimTables.XML1);
		if (summary == null || summary.size() != 1) {
			throw ClaimXmlRefusals.refused(path, "Hồ sơ phải có đúng một bảng XML1 (TONG_HOP)",
					"An episode needs exactly one XML1 table (TONG_HOP)");
		}
		String maLk = summary.get(0).get("MA_LK");
		for (List<Submission.Row> rows : tables.values()) {
			for (Submission.Row row : rows) {
				String rowLk = row.get("MA_LK");
				if (rowLk == null) {
					throw ClaimXmlRefusals.refused(row.path() + "/MA_LK", "Thiếu mã liên kết MA_LK",
							"MA_LK (the episode key) is missing");
				}
				if (!rowLk.equals(maLk)) {
					throw ClaimXmlRefusals.refused(row.path() + "/MA_LK", "MA_LK '" + rowLk + "' khác MA_LK của XML1 '" + maLk + "'",
							"MA_LK '" + rowLk + "' differs from XML1's '" + maLk + "'");
				}
			}
		}
		return new Submission.Episode(path, maLk, tables);
	}

	/** The rows of a table: every element whose children are all plain fields (XML1's TONG_HOP itself). */
	private static List<Submission.Row> rows(Element tableRoot, String tablePath) {
		List<Submission.Row> rows = new ArrayList<>();
		collectRows(tableRoot, tablePath, rows, new LinkedHashMap<>());
		return rows;
	}

	private static void collectRows(Element element, String tablePath, List<Submission.Row> rows, Map<String, Integer> counts) {
		List<Element> children = children(element, null);
		if (!children.isEmpty() && children.stream().allMatch(SubmissionReader::isField)) {
			int n = counts.merge(element.getLocalName(), 1, Integer::sum);
			Map<String, String> fields = new LinkedHashMap<>();
			for (Element field : children) {
				String value = field.getTextContent().trim();
				if (!value.isEmpty()) {
					fields.put(field.getLocalName(), value);
				}
			}
			String path = tablePath + "/" + element.getLocalName() + "[" + n + "]";
			rows.add(new Submission.Row(path, fields));
			return;
		}
		for (Element child : children) {
			collectRows(child, tablePath, rows, counts);
		}
	}

	private static boolean isField(Element element) {
		return children(element, null).isEmpty();
	}

	private static byte[] base64(String text, String where) {
		if (text == null) {
			throw ClaimXmlRefusals.refused(where, "Thiếu nội dung bảng", "The table's content is missing");
		}
		try {
			// line breaks are usual in long base64; anything else outside the alphabet is an error, not skipped
			return Base64.getDecoder().decode(text.replaceAll("\\s", "").getBytes(StandardCharsets.US_ASCII));
		} catch (IllegalArgumentException e) {
			throw ClaimXmlRefusals.refused(where, "Nội dung không phải base64 hợp lệ: " + e.getMessage(),
					"The content is not valid base64: " + e.getMessage());
		}
	}

	private RuntimeException tooLarge(String where) {
		return ClaimXmlRefusals.refused(where, "Hồ sơ quá lớn, tối đa " + maxBytes + " byte",
				"The submission is too large, at most " + maxBytes + " bytes (vietfhir.claim-xml.max-envelope-size)");
	}

	private static RuntimeException unknownTable(String where, String name) {
		return ClaimXmlRefusals.refused(where, "Bảng không xác định: '" + name + "' (XML1 … XML15, CHECKIN)",
				"Unknown table: '" + name + "' (expected XML1 … XML15 or CHECKIN)");
	}

	private static Element child(Element parent, String localName) {
		if (parent == null) {
			return null;
		}
		List<Element> found = children(parent, localName);
		return found.isEmpty() ? null : found.get(0);
	}

	private static List<Element> children(Node parent, String localName) {
		List<Element> found = new ArrayList<>();
		for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && (localName == null || localName.equals(element.getLocalName()))) {
				found.add(element);
			}
		}
		return found;
	}

	private static String text(Element element) {
		if (element == null) {
			return null;
		}
		String text = element.getTextContent().trim();
		return text.isEmpty() ? null : text;
	}
}
