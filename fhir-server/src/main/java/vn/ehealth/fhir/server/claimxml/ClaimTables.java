package vn.ehealth.fhir.server.claimxml;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tables of QĐ 4750 (amended by QĐ 3176) by their LOAIHOSO name, and the root and row elements
 * exporters write them with (shared/docs/claims-xml/README.md), so a bare table can be named by its root.
 */
final class ClaimTables {

	static final String XML1 = "XML1";
	static final String XML2 = "XML2";
	static final String XML3 = "XML3";
	static final String XML4 = "XML4";
	static final String XML5 = "XML5";

	/** Every table name an envelope may carry (check-in, XML1 … XML15). */
	static final Set<String> KNOWN = Set.of("CHECKIN", "XML1", "XML2", "XML3", "XML4", "XML5", "XML6", "XML7", "XML8",
			"XML9", "XML10", "XML11", "XML12", "XML13", "XML14", "XML15");

	/** The tables mapped into FHIR into FHIR; the others are read, reported and left out. */
	static final Set<String> MAPPED = Set.of(XML1, XML2, XML3, XML4, XML5, "XML7", "XML8", "XML10", "XML11", "XML13", "XML14",
			"XML15");

	/** Root (or row) element name → table, for bare tables sent without the envelope. */
	private static final Map<String, String> BY_ELEMENT = Map.ofEntries(
			Map.entry("TONG_HOP", XML1),
			Map.entry("CHITIEU_CHITIET_THUOC", XML2), Map.entry("CHI_TIET_THUOC", XML2),
			Map.entry("CHITIEU_CHITIET_DVKT_VTYT", XML3), Map.entry("CHI_TIET_DVKT", XML3),
			Map.entry("CHITIEU_CHITIET_DICHVUCANLAMSANG", XML4), Map.entry("CHI_TIET_CLS", XML4),
			Map.entry("CHITIEU_CHITIET_DIENBIENLAMSANG", XML5), Map.entry("CHI_TIET_DIEN_BIEN_BENH", XML5),
			Map.entry("CHI_TIEU_GIAYCHUYENTUYEN", "XML13"),
			Map.entry("CHITIET_DIEUTRI_BENHLAO", "XML15"),
			Map.entry("CHI_TIEU_TRANG_THAI_KCB", "CHECKIN"));

	private ClaimTables() {}

	static Optional<String> byElement(String localName) {
		return Optional.ofNullable(BY_ELEMENT.get(localName));
	}

	/** LOAIHOSO as sent ("XML1", "xml1", " XML1 "), or empty when it names no table. */
	static Optional<String> byName(String loaiHoSo) {
		String name = loaiHoSo == null ? "" : loaiHoSo.trim().toUpperCase(java.util.Locale.ROOT).replace("_", "");
		return KNOWN.contains(name) ? Optional.of(name) : Optional.empty();
	}
}
