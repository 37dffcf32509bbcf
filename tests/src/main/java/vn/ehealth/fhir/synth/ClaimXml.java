package vn.ehealth.fhir.synth;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * The claim XML of QĐ 4750/3176 (shared/docs/claims-xml/README.md) a facility would send for the
 * synthetic population's visits: one episode per finished Encounter, with XML1 (the patient, card,
 * diagnoses, dates, totals), XML2 (the prescriptions), XML3 (the examination and procedures), XML4
 * (numeric results) and XML5 (a course note), in the submission envelope GIAMDINHHS. Also the table
 * writer the claim XML tests use for hand-made episodes.
 *
 * <pre>
 * mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.synth.ClaimXml \
 *   -Dexec.args="--patients 20 --seed 42 --out target/claim-xml"
 * </pre>
 */
public final class ClaimXml {

	/** The fee of an outpatient examination (Circular 21/2023/TT-BYT, hospital grade I), in VND. */
	private static final BigDecimal EXAMINATION_FEE = new BigDecimal("50600");
	private static final BigDecimal CO_PAYMENT = new BigDecimal("0.20");

	/**
	 * One episode's tables: XML1 a single row, XML2–XML5 lists of rows; fields in the order written.
	 *
	 * @param papers the papers of the episode by table (XML7 discharge paper, XML13 referral, XML14
	 *     follow-up: one row each; XML15 tuberculosis: a row per course)
	 */
	public record Episode(String facility, Map<String, String> xml1, List<Map<String, String>> xml2,
			List<Map<String, String>> xml3, List<Map<String, String>> xml4, List<Map<String, String>> xml5,
			Map<String, List<Map<String, String>>> papers) {

		public Episode(String facility, Map<String, String> xml1, List<Map<String, String>> xml2,
				List<Map<String, String>> xml3, List<Map<String, String>> xml4, List<Map<String, String>> xml5) {
			this(facility, xml1, xml2, xml3, xml4, xml5, new LinkedHashMap<>());
		}

		public String maLk() {
			return xml1.get("MA_LK");
		}

		/** The rows of a paper table (XML7, XML13, XML14, XML15), added to when changed. */
		public List<Map<String, String>> paper(String table) {
			return papers.computeIfAbsent(table, t -> new ArrayList<>());
		}

		public Episode copy() {
			Map<String, List<Map<String, String>>> papersCopy = new LinkedHashMap<>();
			papers.forEach((table, rows) -> papersCopy.put(table, copyRows(rows)));
			return new Episode(facility, new LinkedHashMap<>(xml1), copyRows(xml2), copyRows(xml3), copyRows(xml4), copyRows(xml5),
					papersCopy);
		}

		private static List<Map<String, String>> copyRows(List<Map<String, String>> rows) {
			List<Map<String, String>> copy = new ArrayList<>();
			rows.forEach(r -> copy.add(new LinkedHashMap<>(r)));
			return copy;
		}
	}

	private ClaimXml() {}

	public static void main(String[] args) throws IOException {
		int patients = 10;
		long seed = 42;
		Path out = Path.of("target/claim-xml");
		boolean zip = false;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--zip" -> zip = true;
				case "--patients" -> patients = Integer.parseInt(args[++i]);
				case "--seed" -> seed = Long.parseLong(args[++i]);
				case "--out" -> out = Path.of(args[++i]);
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		SyntheticData data = new SyntheticData(seed, patients);
		Files.createDirectories(out);
		Map<String, String> envelopes = new LinkedHashMap<>();
		for (int n : data.patientNumbers()) {
			for (Episode episode : episodes(data, n, Integer.MAX_VALUE)) {
				envelopes.put(episode.maLk() + ".xml", envelope(episode.facility(), List.of(episode)));
			}
		}
		if (zip) {
			Files.write(out.resolve("claim-xml.zip"), zip(envelopes));
		} else {
			for (Map.Entry<String, String> file : envelopes.entrySet()) {
				Files.writeString(out.resolve(file.getKey()), file.getValue());
			}
		}
		System.out.println(envelopes.size() + " envelopes in " + out + (zip ? "/claim-xml.zip" : ""));
	}

	/** A ZIP of envelopes (name → XML), as a facility or a province sends a day's or a month's submissions. */
	public static byte[] zip(Map<String, String> envelopes) {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
			for (Map.Entry<String, String> file : envelopes.entrySet()) {
				zip.putNextEntry(new java.util.zip.ZipEntry(file.getKey()));
				zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		return bytes.toByteArray();
	}

	// ------------------------------------------------------------------ from the synthetic population

	/** Patient n's first {@code max} finished visits as claim episodes, oldest first. */
	public static List<Episode> episodes(SyntheticData data, int n, int max) {
		Directory directory = new Directory(data.directory());
		List<Resource> record = data.patient(n);
		Patient patient = (Patient) record.get(0);
		List<Episode> episodes = new ArrayList<>();
		for (Resource resource : record) {
			if (episodes.size() >= max) {
				break;
			}
			if (resource instanceof Encounter encounter && encounter.getStatus() == Encounter.EncounterStatus.FINISHED
					&& encounter.hasIdentifier()) {
				episodes.add(episode(n, patient, encounter, record, directory));
			}
		}
		return episodes;
	}

	/** Facility codes and practising licences of the directory, by id. */
	private static final class Directory {
		private final Map<String, String> facilityCodes = new HashMap<>();
		private final Map<String, String> licences = new HashMap<>();
		private final Map<String, String> roleLicences = new HashMap<>();

		Directory(List<Resource> resources) {
			for (Resource resource : resources) {
				if (resource instanceof Organization org) {
					value(org.getIdentifier(), IdentifierSystems.FACILITY_CODE).ifPresent(v -> facilityCodes.put("Organization/" + org.getIdPart(), v));
				} else if (resource instanceof Practitioner practitioner) {
					value(practitioner.getIdentifier(), IdentifierSystems.PRACTICE_LICENCE)
							.ifPresent(v -> licences.put("Practitioner/" + practitioner.getIdPart(), v));
				}
			}
			for (Resource resource : resources) {
				if (resource instanceof PractitionerRole role && licences.containsKey(role.getPractitioner().getReference())) {
					roleLicences.put("PractitionerRole/" + role.getIdPart(), licences.get(role.getPractitioner().getReference()));
				}
			}
		}
	}

	private static Episode episode(int n, Patient patient, Encounter encounter, List<Resource> record, Directory directory) {
		String encounterRef = "Encounter/" + encounter.getIdPart();
		String facility = directory.facilityCodes.get(encounter.getServiceProvider().getReference());
		String doctor = encounter.getParticipant().stream()
				.map(p -> directory.roleLicences.get(p.getIndividual().getReference()))
				.filter(java.util.Objects::nonNull).findFirst().orElse(null);
		List<Map<String, String>> xml2 = new ArrayList<>();
		List<Map<String, String>> xml3 = new ArrayList<>();
		List<Map<String, String>> xml4 = new ArrayList<>();
		List<String> diagnoses = new ArrayList<>();
		String maLk = encounter.getIdentifierFirstRep().getValue();
		xml3.add(service(maLk, "02.1896", "Khám bệnh", null, EXAMINATION_FEE, doctor, encounter.getPeriod().getStartElement()));
		for (Resource resource : record) {
			if (resource instanceof Condition c && encounterRef.equals(c.getEncounter().getReference())
					&& !diagnoses.contains(c.getCode().getCodingFirstRep().getCode())) {
				diagnoses.add(c.getCode().getCodingFirstRep().getCode());
			} else if (resource instanceof MedicationRequest m && encounterRef.equals(m.getEncounter().getReference())) {
				xml2.add(drug(maLk, m, directory.roleLicences.getOrDefault(m.getRequester().getReference(), doctor)));
			} else if (resource instanceof Procedure p && encounterRef.equals(p.getEncounter().getReference())) {
				xml3.add(service(maLk, "PT." + p.getCode().getCodingFirstRep().getCode(), p.getCode().getText(),
						p.getCode().getCodingFirstRep().getCode(), new BigDecimal("1500000"), doctor,
						p.hasPerformedPeriod() ? p.getPerformedPeriod().getStartElement() : encounter.getPeriod().getStartElement()));
			} else if (resource instanceof Observation o && encounterRef.equals(o.getEncounter().getReference())
					&& o.hasValueQuantity() && o.getCode().hasCoding()) {
				xml4.add(result(maLk, o, doctor));
			}
		}
		Map<String, String> xml1 = summary(n, patient, encounter, maLk, facility, diagnoses, xml2, xml3);
		List<Map<String, String>> xml5 = List.of(row("MA_LK", maLk, "STT", "1",
				"DIEN_BIEN_LS", "Người bệnh tỉnh, tiếp xúc tốt; " + (diagnoses.isEmpty() ? "khám sức khỏe" : "chẩn đoán " + diagnoses.get(0)),
				"THOI_DIEM_DBLS", time(encounter.getPeriod().getStartElement()), "NGUOI_THUC_HIEN", doctor));
		Episode episode = new Episode(facility, xml1, xml2, xml3, xml4, xml5);
		papers(n, episode, encounter, doctor);
		return episode;
	}

	/**
	 * The papers a visit leaves: every inpatient stay its discharge paper (XML7) and record summary
	 * (XML8); one visit in three a
	 * follow-up a week after (XML14); one in five a referral to the provincial hospital (XML13); a
	 * tuberculosis diagnosis (A15–A19) its treatment course (XML15).
	 */
	private static void papers(int n, Episode episode, Encounter encounter, String doctor) {
		Map<String, String> xml1 = episode.xml1();
		String maLk = episode.maLk();
		java.time.LocalDate end = java.time.LocalDate.parse(xml1.get("NGAY_RA").substring(0, 8), java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
		if ("03".equals(xml1.get("MA_LOAI_KCB"))) {
			episode.paper("XML7").add(row("MA_LK", maLk, "SO_LUU_TRU", "LT-" + maLk, "MA_YTE", xml1.get("MA_BN"), "MA_KHOA_RV", "K01",
					"NGAY_VAO", xml1.get("NGAY_VAO"), "NGAY_RA", xml1.get("NGAY_RA"), "MA_DINH_CHI_THAI", "0",
					"CHAN_DOAN_RV", xml1.get("CHAN_DOAN_RV"), "PP_DIEUTRI", "Điều trị nội khoa", "MA_BS", "0123456789",
					"TEN_BS", "Trưởng khoa Nội", "NGAY_CT", end.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)));
			episode.paper("XML8").add(row("MA_LK", maLk, "MA_LOAI_KCB", "03", "NGAY_VAO", xml1.get("NGAY_VAO"),
					"NGAY_RA", xml1.get("NGAY_RA"), "CHAN_DOAN_VAO", xml1.get("LY_DO_VV"), "CHAN_DOAN_RV", xml1.get("CHAN_DOAN_RV"),
					"QT_BENHLY", "Điều trị nội trú, diễn biến ổn định", "PP_DIEUTRI", "Điều trị nội khoa", "KET_QUA_DTRI", "2",
					"NGAY_CT", end.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)));
		}
		if (n % 3 == 0 && xml1.containsKey("MA_BENH_CHINH")) {
			episode.paper("XML14").add(row("MA_LK", maLk, "SO_GIAYHEN_KL", "HK-" + maLk, "MA_CSKCB", episode.facility(),
					"NGAY_HEN_KL", end.plusDays(7).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "0800",
					"CHAN_DOAN_RV", xml1.get("CHAN_DOAN_RV"), "MA_BENH_CHINH", xml1.get("MA_BENH_CHINH"),
					"MA_DOITUONG_KCB", "1", "MA_BAC_SI", doctor,
					"NGAY_CT", end.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)));
		}
		if (n % 5 == 0 && xml1.containsKey("MA_BENH_CHINH")) {
			xml1.put("MA_LOAI_RV", "2");
			xml1.put("MA_NOI_DEN", "01001");
			episode.paper("XML13").add(row("MA_LK", maLk, "SO_HOSO", "CT-" + maLk, "GIAY_CHUYEN_TUYEN", "GCT-" + maLk,
					"MA_CSKCB", episode.facility(), "MA_NOI_DEN", "01001", "NGAY_RA", xml1.get("NGAY_RA"),
					"DAU_HIEU_LS", "Người bệnh tỉnh, cần điều trị chuyên sâu", "CHAN_DOAN_RV", xml1.get("CHAN_DOAN_RV"),
					"MA_BENH_CHINH", xml1.get("MA_BENH_CHINH"), "MA_LOAI_RV", "2", "MA_LYDO_CT", "1",
					"HUONG_DIEU_TRI", "Tiếp tục điều trị tại tuyến trên", "PHUONGTIEN_VC", "Xe cứu thương", "MA_BAC_SI", doctor));
		}
		String main = xml1.getOrDefault("MA_BENH_CHINH", "");
		if (main.matches("A1[5-9].*")) {
			episode.paper("XML15").add(row("MA_LK", maLk, "MA_BN", xml1.get("MA_BN"), "HO_TEN", xml1.get("HO_TEN"),
					"SO_CCCD", xml1.get("SO_CCCD"), "PHANLOAI_LAO_VITRI", "1", "PHANLOAI_LAO_TS", "1", "PHANLOAI_LAO_HIV", "2",
					"PHANLOAI_LAO_VK", "1", "PHANLOAI_LAO_KT", "0", "LOAI_DTRI_LAO", "1", "PHACDO_DTRI_LAO", "1",
					"NGAYBD_DTRI_LAO", xml1.get("NGAY_VAO").substring(0, 8), "MA_CSKCB", episode.facility()));
		}
	}

	private static Map<String, String> summary(int n, Patient patient, Encounter encounter, String maLk, String facility,
			List<String> diagnoses, List<Map<String, String>> xml2, List<Map<String, String>> xml3) {
		BigDecimal drugs = sum(xml2);
		BigDecimal total = drugs.add(sum(xml3));
		BigDecimal coPay = total.multiply(CO_PAYMENT).setScale(2, RoundingMode.HALF_UP);
		List<Identifier> cards = patient.getIdentifier().stream()
				.filter(i -> IdentifierSystems.BHYT.equals(i.getSystem()) && i.hasPeriod()).toList();
		String kind = switch (encounter.getClass_().getCode()) {
			case "IMP" -> "03";
			default -> "01";
		};
		return row("MA_LK", maLk, "STT", "1", "MA_BN", "BN" + String.format("%07d", n),
				"HO_TEN", patient.getNameFirstRep().getText(),
				"SO_CCCD", value(patient.getIdentifier(), IdentifierSystems.CCCD).orElse(null),
				"NGAY_SINH", patient.getBirthDateElement().getValueAsString().replace("-", "") + "0000",
				"GIOI_TINH", patient.getGender() == org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE ? "1" : "2",
				"MA_QUOCTICH", "000",
				"MA_DANTOC", code(patient, vn.ehealth.fhir.profiles.Canonicals.EXT_ETHNICITY),
				"MA_NGHE_NGHIEP", code(patient, vn.ehealth.fhir.profiles.Canonicals.EXT_OCCUPATION),
				"DIA_CHI", patient.getAddressFirstRep().getText(),
				"DIEN_THOAI", patient.getTelecomFirstRep().getValue(),
				"MA_THE_BHYT", join(cards.stream().map(Identifier::getValue).toList()),
				"MA_DKBD", cards.isEmpty() ? null : facility,
				"GT_THE_TU", join(cards.stream().map(c -> c.getPeriod().getStartElement().getValueAsString().replace("-", "")).toList()),
				"GT_THE_DEN", join(cards.stream().map(c -> c.getPeriod().getEndElement().getValueAsString().replace("-", "")).toList()),
				"LY_DO_VV", encounter.getReasonCodeFirstRep().getText(),
				"CHAN_DOAN_RV", diagnoses.isEmpty() ? null : encounter.getReasonCodeFirstRep().getText(),
				"MA_BENH_CHINH", diagnoses.isEmpty() ? null : diagnoses.get(0),
				"MA_BENH_KT", diagnoses.size() < 2 ? null : join(diagnoses.subList(1, diagnoses.size())),
				"MA_DOITUONG_KCB", "1",
				"NGAY_VAO", time(encounter.getPeriod().getStartElement()),
				"NGAY_RA", time(encounter.getPeriod().getEndElement()),
				"KET_QUA_DTRI", "2", "MA_LOAI_RV", "1",
				"NGAY_TTOAN", time(encounter.getPeriod().getEndElement()),
				"T_THUOC", money(drugs), "T_VTYT", "0", "T_TONGCHI_BV", money(total), "T_TONGCHI_BH", money(total),
				"T_BNTT", "0", "T_BNCCT", money(coPay), "T_BHTT", money(total.subtract(coPay)), "T_NGUONKHAC", "0",
				"NAM_QT", encounter.getPeriod().getEndElement().getValueAsString().substring(0, 4),
				"THANG_QT", encounter.getPeriod().getEndElement().getValueAsString().substring(5, 7),
				"MA_LOAI_KCB", kind, "MA_KHOA", "K01", "MA_CSKCB", facility);
	}

	private static Map<String, String> drug(String maLk, MedicationRequest request, String licence) {
		BigDecimal quantity = request.getDispenseRequest().hasQuantity() ? request.getDispenseRequest().getQuantity().getValue() : BigDecimal.ONE;
		BigDecimal price = new BigDecimal("1200.000");
		return row("MA_LK", maLk, "MA_THUOC", request.getMedicationCodeableConcept().getCodingFirstRep().getCode(),
				"MA_NHOM", "4", "TEN_THUOC", request.getMedicationCodeableConcept().getText(),
				"DON_VI_TINH", request.getDispenseRequest().getQuantity().getUnit(),
				"DUONG_DUNG", "1.01", "LIEU_DUNG", request.getDosageInstructionFirstRep().getText(),
				"PHAM_VI", "1", "SO_LUONG", quantity.toPlainString(), "DON_GIA", price.toPlainString(),
				"THANH_TIEN_BV", money(quantity.multiply(price)), "MUC_HUONG", "80",
				"MA_BAC_SI", licence, "NGAY_YL", time(request.getAuthoredOnElement()));
	}

	private static Map<String, String> service(String maLk, String code, String name, String icd9, BigDecimal price,
			String licence, DateTimeType when) {
		return row("MA_LK", maLk, "MA_DICH_VU", code, "MA_PTTT_QT", icd9, "MA_NHOM", icd9 == null ? "13" : "8",
				"TEN_DICH_VU", name, "DON_VI_TINH", "Lần", "PHAM_VI", "1", "SO_LUONG", "1",
				"DON_GIA_BV", money(price), "DON_GIA_BH", money(price), "THANH_TIEN_BV", money(price), "MUC_HUONG", "80",
				"MA_KHOA", "K01", "MA_BAC_SI", licence, "NGUOI_THUC_HIEN", icd9 == null ? null : licence,
				"NGAY_YL", time(when), "NGAY_TH_YL", time(when));
	}

	private static Map<String, String> result(String maLk, Observation observation, String licence) {
		Quantity value = observation.getValueQuantity();
		return row("MA_LK", maLk, "MA_DICH_VU", "XN." + observation.getCategoryFirstRep().getCodingFirstRep().getCode(),
				"MA_CHI_SO", observation.getCode().getCodingFirstRep().getCode(),
				"TEN_CHI_SO", observation.getCode().hasText() ? observation.getCode().getText() : observation.getCode().getCodingFirstRep().getDisplay(),
				"GIA_TRI", value.getValue().toPlainString(), "DON_VI_DO", value.getUnit(),
				"NGAY_KQ", time(observation.getEffectiveDateTimeType()), "MA_BS_DOC_KQ", licence);
	}

	// ------------------------------------------------------------------ writing the XML

	/** The submission envelope GIAMDINHHS of one facility, each table base64-encoded in its FILEHOSO. */
	public static String envelope(String facility, List<Episode> episodes) {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GIAMDINHHS>\n")
				.append("  <THONGTINDONVI><MACSKCB>").append(facility).append("</MACSKCB></THONGTINDONVI>\n")
				.append("  <THONGTINHOSO><NGAYLAP>20260630</NGAYLAP><SOLUONGHOSO>").append(episodes.size())
				.append("</SOLUONGHOSO>\n    <DANHSACHHOSO>\n");
		for (Episode episode : episodes) {
			xml.append("      <HOSO>\n");
			tables(episode).forEach((name, table) -> xml.append("        <FILEHOSO><LOAIHOSO>").append(name)
					.append("</LOAIHOSO><NOIDUNGFILE>")
					.append(Base64.getEncoder().encodeToString(table.getBytes(StandardCharsets.UTF_8)))
					.append("</NOIDUNGFILE></FILEHOSO>\n"));
			xml.append("      </HOSO>\n");
		}
		return xml.append("    </DANHSACHHOSO>\n  </THONGTINHOSO>\n  <CHUKYDONVI/>\n</GIAMDINHHS>\n").toString();
	}

	/** The tables of one episode without the envelope, under one root element. */
	public static String bareTableSet(Episode episode) {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HOSO>\n");
		tables(episode).values().forEach(table -> xml.append(table.substring(table.indexOf("?>") + 2)).append('\n'));
		return xml.append("</HOSO>\n").toString();
	}

	/** Root elements of the one-row papers (XML13's as exporters write it; the others by the table's name). */
	private static final Map<String, String> PAPER_ROOTS = Map.of("XML7", "CHI_TIEU_GIAYRAVIEN", "XML8", "CHI_TIEU_TOMTATHSBA",
			"XML10", "CHI_TIEU_GIAYNGHIDUONGTHAI", "XML11", "CHI_TIEU_GIAYNGHIHUONGBHXH", "XML13", "CHI_TIEU_GIAYCHUYENTUYEN",
			"XML14", "CHI_TIEU_GIAYHENKHAMLAI");

	/** Each table's own XML document, by LOAIHOSO (tables without rows are left out, as exporters do). */
	public static Map<String, String> tables(Episode episode) {
		Map<String, String> tables = new LinkedHashMap<>();
		tables.put("XML1", document("TONG_HOP", null, null, List.of(episode.xml1())));
		putTable(tables, "XML2", "CHITIEU_CHITIET_THUOC", "DSACH_CHI_TIET_THUOC", "CHI_TIET_THUOC", episode.xml2());
		putTable(tables, "XML3", "CHITIEU_CHITIET_DVKT_VTYT", "DSACH_CHI_TIET_DVKT", "CHI_TIET_DVKT", episode.xml3());
		putTable(tables, "XML4", "CHITIEU_CHITIET_DICHVUCANLAMSANG", "DSACH_CHI_TIET_CLS", "CHI_TIET_CLS", episode.xml4());
		putTable(tables, "XML5", "CHITIEU_CHITIET_DIENBIENLAMSANG", "DSACH_CHI_TIET_DIEN_BIEN_BENH", "CHI_TIET_DIEN_BIEN_BENH",
				episode.xml5());
		// the papers of one row each are written as XML1 is: the fields right under the table's root;
		// XML15's rows under a list, as the other row tables
		episode.papers().forEach((table, rows) -> {
			if (table.equals("XML15")) {
				putTable(tables, table, "CHI_TIEU_DIEUTRI_BENHLAO", "DSACH_CHITIET_DIEUTRI_BENHLAO", "CHITIET_DIEUTRI_BENHLAO", rows);
			} else {
				putTable(tables, table, PAPER_ROOTS.getOrDefault(table, "CHI_TIEU_" + table), null, null, rows);
			}
		});
		return tables;
	}

	private static void putTable(Map<String, String> tables, String name, String root, String list, String row,
			List<Map<String, String>> rows) {
		if (!rows.isEmpty()) {
			tables.put(name, document(root, list, row, rows));
		}
	}

	private static String document(String root, String list, String rowName, List<Map<String, String>> rows) {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append('>');
		if (list != null) {
			xml.append('<').append(list).append('>');
		}
		int stt = 1;
		for (Map<String, String> row : rows) {
			if (rowName != null) {
				xml.append('<').append(rowName).append('>');
			}
			Map<String, String> numbered = new LinkedHashMap<>(row);
			if (rowName != null && !numbered.containsKey("STT")) {
				numbered.put("STT", String.valueOf(stt));
			}
			stt++;
			numbered.forEach((field, value) -> xml.append('<').append(field).append('>').append(escape(value))
					.append("</").append(field).append('>'));
			if (rowName != null) {
				xml.append("</").append(rowName).append('>');
			}
		}
		if (list != null) {
			xml.append("</").append(list).append('>');
		}
		return xml.append("</").append(root).append(">\n").toString();
	}

	// ------------------------------------------------------------------ small helpers

	/** A row from field/value pairs; null values are left out (an exporter writes no empty field). */
	public static Map<String, String> row(String... fieldsAndValues) {
		Map<String, String> row = new LinkedHashMap<>();
		for (int i = 0; i < fieldsAndValues.length; i += 2) {
			if (fieldsAndValues[i + 1] != null && !fieldsAndValues[i + 1].isEmpty()) {
				row.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
			}
		}
		return row;
	}

	private static String escape(String value) {
		return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/** yyyyMMddHHmm in Vietnam's local time. */
	private static String time(DateTimeType time) {
		if (time == null || time.getValue() == null) {
			return null;
		}
		java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(time.getValue().toInstant(), java.time.ZoneOffset.ofHours(7));
		return local.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
	}

	private static String money(BigDecimal amount) {
		return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
	}

	private static BigDecimal sum(List<Map<String, String>> rows) {
		return rows.stream().map(r -> new BigDecimal(r.getOrDefault("THANH_TIEN_BV", "0"))).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	private static String join(List<String> values) {
		return values.isEmpty() ? null : String.join(";", values);
	}

	private static java.util.Optional<String> value(List<Identifier> identifiers, String system) {
		return identifiers.stream().filter(i -> system.equals(i.getSystem())).map(Identifier::getValue).findFirst();
	}

	private static String code(Patient patient, String extensionUrl) {
		var extension = patient.getExtensionByUrl(extensionUrl);
		return extension == null ? null : ((org.hl7.fhir.r4.model.Coding) extension.getValue()).getCode();
	}
}
