package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.ClinicalImpression;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Claim XML of QĐ 4750/3176 in through POST /fhir/$import-claim-xml (issue 18, first slice). */
class ClaimXmlImportTest {

	private static final String IMPORT = "/fhir/$import-claim-xml";
	private static final String CCCD = "http://fhir.ehealth.gov.vn/core/sid/national_id";
	private static TestServer server;
	private static Http http;

	@BeforeAll
	static void server() {
		server = TestServer.shared();
		http = server.http();
	}

	// ------------------------------------------------------------------ round trip

	@Test
	void everyTableOfAnEpisodeComesBackAsFhirWithItsValues() {
		String facility = facilityCode();
		String cccd = Fixtures.cccd("001085");
		ClaimXml.Episode episode = episode(facility, cccd, "BN-" + Fixtures.uniqueValue().substring(0, 8));

		Bundle response = importOk(ClaimXml.envelope(facility, List.of(episode)));

		assertThat(response.getEntry()).hasSize(1);
		Patient patient = one(Patient.class, "Patient?identifier=" + CCCD + "|" + cccd);
		assertThat(patient.getNameFirstRep().getText()).isEqualTo("Nguyễn Văn An");
		assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1985");
		assertThat(patient.getGender().toCode()).isEqualTo("male");
		assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("0912345678");
		assertThat(patient.getAddressFirstRep().getText()).isEqualTo("Số 1 Tràng Tiền, phường Hoàn Kiếm, Hà Nội");
		assertThat(patient.getExtensionByUrl("https://vietfhir.org/fhir/StructureDefinition/vn-ext-ethnicity").getValue())
				.hasFieldOrPropertyWithValue("code", "01");
		assertThat(patient.getIdentifier()).extracting(Identifier::getValue)
				.contains(cccd, episode.xml1().get("MA_THE_BHYT"), episode.xml1().get("MA_BN"));

		Coverage coverage = one(Coverage.class, "Coverage?identifier=" + Fixtures.BHYT_SYSTEM + "|" + episode.xml1().get("MA_THE_BHYT"));
		assertThat(coverage.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-01-01");
		assertThat(coverage.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-12-31");
		assertThat(coverage.getBeneficiary().getReference()).isEqualTo("Patient/" + patient.getIdPart());

		Encounter encounter = one(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + episode.maLk());
		assertThat(encounter.getClass_().getCode()).isEqualTo("IMP");
		assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-10T08:15:00+07:00");
		assertThat(encounter.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-03-14T10:00:00+07:00");
		assertThat(encounter.getHospitalization().getDischargeDisposition().getCodingFirstRep().getCode()).isEqualTo("1");
		assertThat(encounter.getLocationFirstRep().getLocation().getIdentifier().getValue()).isEqualTo("K02");
		assertThat(((org.hl7.fhir.r4.model.CodeableConcept) encounter.getExtensionByUrl(
				"https://vietfhir.org/fhir/StructureDefinition/qd4750-ket-qua-dtri").getValue()).getCodingFirstRep().getCode()).isEqualTo("2");
		assertThat(encounter.getSubject().getReference()).isEqualTo("Patient/" + patient.getIdPart());
		String enc = "Encounter/" + encounter.getIdPart();

		assertThat(all(Condition.class, "Condition?encounter=" + enc)).extracting(c -> c.getCode().getCodingFirstRep().getCode())
				.containsExactlyInAnyOrder("J18.9", "I10", "E11.9");

		MedicationRequest drug = one(MedicationRequest.class, "MedicationRequest?encounter=" + enc);
		assertThat(drug.getMedicationCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("40.239");
		assertThat(drug.getMedicationCodeableConcept().getText()).isEqualTo("Ceftriaxone");
		assertThat(drug.getMedicationCodeableConcept().getExtensionByUrl(
				"https://vietfhir.org/fhir/StructureDefinition/qd4750-ham-luong").getValue().primitiveValue()).isEqualTo("1g");
		assertThat(drug.getDosageInstructionFirstRep().getText()).isEqualTo("2 lọ/ngày, tiêm tĩnh mạch chậm");
		assertThat(drug.getDosageInstructionFirstRep().getRoute().getCodingFirstRep().getCode()).isEqualTo("2.10");
		assertThat(drug.getDispenseRequest().getQuantity().getValue()).isEqualByComparingTo("8");
		assertThat(drug.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-03-10T09:00:00+07:00");
		assertThat(drug.getRequester().getIdentifier().getValue()).isEqualTo("000123/HNO-CCHN");

		ServiceRequest service = one(ServiceRequest.class, "ServiceRequest?encounter=" + enc + "&code=" + codeSystem("ma-dich-vu") + "|18.0071.0001");
		assertThat(service.getCode().getText()).isEqualTo("Chụp X-quang ngực thẳng");
		Procedure procedure = one(Procedure.class, "Procedure?encounter=" + enc);
		assertThat(procedure.getCode().getCodingFirstRep().getCode()).isEqualTo("87.44");
		assertThat(procedure.getPerformedDateTimeType().getValueAsString()).isEqualTo("2026-03-10T10:30:00+07:00");

		List<Observation> results = all(Observation.class, "Observation?encounter=" + enc);
		Observation glucose = results.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("GLU")).findFirst().orElseThrow();
		assertThat(glucose.getValueQuantity().getValue()).isEqualByComparingTo(new BigDecimal("7.2"));
		assertThat(glucose.getValueQuantity().getUnit()).isEqualTo("mmol/L");
		Observation xray = results.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("XQ-NGUC")).findFirst().orElseThrow();
		assertThat(xray.getValueStringType().getValue()).isEqualTo("Mờ đáy phổi phải");
		List<DiagnosticReport> reports = all(DiagnosticReport.class, "DiagnosticReport?encounter=" + enc);
		assertThat(reports).hasSize(2);
		assertThat(reports).extracting(DiagnosticReport::getConclusion).contains("Viêm phổi thùy dưới phải");

		ClinicalImpression note = one(ClinicalImpression.class, "ClinicalImpression?encounter=" + enc);
		assertThat(note.getDescription()).isEqualTo("Sốt 39 độ, ho đờm, ran nổ đáy phổi phải");
		assertThat(note.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-03-10T08:30:00+07:00");

		Claim claim = one(Claim.class, "Claim?identifier=" + episodeSystem(facility) + "|" + episode.maLk());
		assertThat(claim.getTotal().getValue()).isEqualByComparingTo("1130000");
		assertThat(claim.getItem()).hasSize(3);
		assertThat(claim.getItem()).extracting(i -> i.getNet().getValue().stripTrailingZeros().toPlainString())
				.containsExactly("480000", "650000", "0");
		assertThat(claim.getExtensionByUrl("https://vietfhir.org/fhir/StructureDefinition/qd4750-t-bhtt").getValue().primitiveValue())
				.isEqualTo("904000.00");
		assertThat(claim.getIdentifier()).extracting(Identifier::getSystem).contains("http://fhir.hl7.org.vn/core/sid/ma-lk");
	}

	@Test
	void aBareTableSetOfOneEpisodeLoadsToo() {
		String facility = facilityCode();
		String cccd = Fixtures.cccd("001085");
		ClaimXml.Episode episode = episode(facility, cccd, "BN-bare");

		importOk(ClaimXml.bareTableSet(episode));

		Encounter encounter = one(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + episode.maLk());
		assertThat(all(MedicationRequest.class, "MedicationRequest?encounter=Encounter/" + encounter.getIdPart())).hasSize(1);
	}

	@Test
	void sampleEnvelopesFromTheGeneratorLoadWithZeroProfileErrors() {
		vn.ehealth.fhir.synth.SyntheticData data = new vn.ehealth.fhir.synth.SyntheticData(1818, List.of(7, 8),
				vn.ehealth.fhir.synth.SyntheticData.DEFAULT_CARE_START, vn.ehealth.fhir.synth.SyntheticData.DEFAULT_AS_OF);
		List<ClaimXml.Episode> episodes = new ArrayList<>();
		episodes.addAll(ClaimXml.episodes(data, 7, 3));
		episodes.addAll(ClaimXml.episodes(data, 8, 3));
		assertThat(episodes).isNotEmpty();
		for (ClaimXml.Episode episode : episodes) {
			Http.Response response = post(ClaimXml.envelope(episode.facility(), List.of(episode)));
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			Bundle bundle = response.resource(Bundle.class);
			assertThat(bundle.getEntryFirstRep().getResponse().getStatus()).as(response.body()).startsWith("200");
		}
	}

	@Test
	void aLegacyProvinceCodeIsStoredAsIts2025Province() {
		String facility = facilityCode();
		String cccd = Fixtures.cccd("030085");
		ClaimXml.Episode legacy = episode(facility, cccd, "BN-tinh-cu");
		legacy.xml1().put("MATINH_CU_TRU", "30"); // Hải Dương, merged into Hải Phòng (31) on 1 July 2025
		ClaimXml.Episode current = episode(facility, Fixtures.cccd("001085"), "BN-tinh-moi");
		current.xml1().put("MATINH_CU_TRU", "31");

		importOk(ClaimXml.envelope(facility, List.of(legacy, current)));

		org.hl7.fhir.r4.model.Address moved = one(Patient.class, "Patient?identifier=" + CCCD + "|" + cccd).getAddressFirstRep();
		org.hl7.fhir.r4.model.Coding province = (org.hl7.fhir.r4.model.Coding) moved
				.getExtensionByUrl("http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-province").getValue();
		assertThat(province.getSystem()).isEqualTo("https://vietfhir.org/fhir/CodeSystem/vn-province");
		assertThat(province.getCode()).isEqualTo("31");
		assertThat(province.getDisplay()).isEqualTo("Hải Phòng");
		assertThat(moved.getExtensionByUrl("https://vietfhir.org/fhir/StructureDefinition/qd4750-matinh-cu-tru").getValue()
				.primitiveValue()).isEqualTo("30");
		org.hl7.fhir.r4.model.Address stayed = one(Patient.class, "Patient?identifier=" + Fixtures.BHYT_SYSTEM + "|"
				+ current.xml1().get("MA_THE_BHYT")).getAddressFirstRep();
		assertThat(((org.hl7.fhir.r4.model.Coding) stayed.getExtensionByUrl(
				"http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-province").getValue()).getCode()).isEqualTo("31");
		assertThat(stayed.getExtensionByUrl("https://vietfhir.org/fhir/StructureDefinition/qd4750-matinh-cu-tru")).isNull();
	}

	// ------------------------------------------------------------------ identity and idempotence

	@Test
	void twoFacilitiesSendingTheSameNewCitizenAtOnceBothStoreOnOnePatient() throws Exception {
		// both envelopes create the citizen: one transaction meets the other's write (409) and is mapped again
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 4; round++) {
				String cccd = Fixtures.cccd("001085");
				List<String> envelopes = new ArrayList<>();
				for (String facility : List.of(facilityCode(), facilityCode())) {
					envelopes.add(ClaimXml.envelope(facility, List.of(episode(facility, cccd, "BN-" + round))));
				}
				postAtOnceAllStored(pool, envelopes);
				assertThat(all(Patient.class, "Patient?identifier=" + CCCD + "|" + cccd)).hasSize(1);
			}
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aFacilityResendingANewEpisodeWhileTheFirstIsStoredGetsItOnce() throws Exception {
		// a first submission's rows are plain creates: the second copy must find the first under the
		// episode's lock and be stored as a correction of it, not as a second set of rows
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
		try {
			for (int round = 0; round < 3; round++) {
				String facility = facilityCode();
				ClaimXml.Episode episode = episode(facility, Fixtures.cccd("001085"), "BN-twice-" + round);
				String xml = ClaimXml.envelope(facility, List.of(episode));
				postAtOnceAllStored(pool, List.of(xml, xml, xml));
				Encounter encounter = one(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + episode.maLk());
				String byEncounter = "?encounter=Encounter/" + encounter.getIdPart();
				assertThat(all(MedicationRequest.class, "MedicationRequest" + byEncounter)).hasSize(1);
				assertThat(all(Observation.class, "Observation" + byEncounter)).hasSize(2);
				assertThat(all(ClinicalImpression.class, "ClinicalImpression" + byEncounter)).hasSize(1);
				assertThat(all(Claim.class, "Claim?identifier=" + episodeSystem(facility) + "|" + episode.maLk())).hasSize(1);
			}
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aCitizenSeenByTwoFacilitiesIsOnePatient() {
		String cccd = Fixtures.cccd("001085");
		String first = facilityCode();
		String second = facilityCode();

		importOk(ClaimXml.envelope(first, List.of(episode(first, cccd, "A-1"))));
		importOk(ClaimXml.envelope(second, List.of(episode(second, cccd, "B-2"))));

		List<Patient> patients = all(Patient.class, "Patient?identifier=" + CCCD + "|" + cccd);
		assertThat(patients).hasSize(1);
		assertThat(patients.get(0).getIdentifier()).extracting(Identifier::getValue).contains("A-1", "B-2");
		assertThat(all(Encounter.class, "Encounter?subject=Patient/" + patients.get(0).getIdPart())).hasSize(2);
	}

	@Test
	void importingTheSameEnvelopeAgainChangesNothing() {
		String facility = facilityCode();
		String envelope = ClaimXml.envelope(facility, List.of(episode(facility, Fixtures.cccd("001085"), "BN-again")));

		List<String> first = locations(importOk(envelope));
		List<String> second = locations(importOk(envelope));

		assertThat(first).isNotEmpty().allMatch(l -> l.contains("/_history/"));
		// the same records at the same versions; the facility created minimal the first time is now simply found
		assertThat(second).hasSizeGreaterThanOrEqualTo(first.size() - 1).allMatch(first::contains);
		assertThat(second).anyMatch(l -> l.startsWith("Patient/")).anyMatch(l -> l.startsWith("Claim/"));
	}

	@Test
	void aCorrectionReplacesTheEpisode() {
		String facility = facilityCode();
		ClaimXml.Episode episode = episode(facility, Fixtures.cccd("001085"), "BN-fix");
		episode.xml2().add(ClaimXml.row("MA_LK", episode.maLk(), "MA_THUOC", "40.17", "TEN_THUOC", "Paracetamol",
				"HAM_LUONG", "500mg", "DON_VI_TINH", "viên", "DUONG_DUNG", "1.01", "LIEU_DUNG", "1 viên khi sốt", "SO_LUONG", "10",
				"DON_GIA", "500", "THANH_TIEN_BV", "5000", "MA_BAC_SI", "000123/HNO-CCHN", "NGAY_YL", "202603100905"));
		importOk(ClaimXml.envelope(facility, List.of(episode)));
		Encounter encounter = one(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + episode.maLk());
		assertThat(all(MedicationRequest.class, "MedicationRequest?encounter=Encounter/" + encounter.getIdPart())).hasSize(2);

		ClaimXml.Episode corrected = episode.copy();
		corrected.xml2().remove(1);
		corrected.xml2().get(0).put("SO_LUONG", "6");
		corrected.xml2().get(0).put("THANH_TIEN_BV", "360000");
		importOk(ClaimXml.envelope(facility, List.of(corrected)));

		List<MedicationRequest> drugs = all(MedicationRequest.class, "MedicationRequest?encounter=Encounter/" + encounter.getIdPart());
		assertThat(drugs).hasSize(1);
		assertThat(drugs.get(0).getDispenseRequest().getQuantity().getValue()).isEqualByComparingTo("6");
		assertThat(all(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + episode.maLk())).hasSize(1);
	}

	@Test
	void oneBadEpisodeDoesNotStopTheOthers() {
		String facility = facilityCode();
		ClaimXml.Episode good = episode(facility, Fixtures.cccd("001085"), "BN-good");
		ClaimXml.Episode bad = episode(facility, Fixtures.cccd("001085"), "BN-bad");
		bad.xml1().put("T_BHTT", "1.00"); // T_BHTT = T_TONGCHI_BH − T_BNCCT no longer holds

		Bundle response = post(ClaimXml.envelope(facility, List.of(good, bad))).resource(Bundle.class);

		assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("200");
		assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("400");
		String diagnostics = ((org.hl7.fhir.r4.model.OperationOutcome) response.getEntry().get(1).getResponse().getOutcome())
				.getIssue().stream().map(i -> i.getDiagnostics()).toList().toString();
		assertThat(diagnostics).contains("T_BHTT").contains("HOSO[2]/XML1/TONG_HOP[1]/T_BHTT");
		assertThat(all(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + bad.maLk())).isEmpty();
	}

	// ------------------------------------------------------------------ scopes

	@Test
	void aCallerWhoMayOnlyReadIsRefusedAndNothingIsStored() {
		String facility = facilityCode();
		ClaimXml.Episode episode = episode(facility, Fixtures.cccd("001085"), "BN-scope");
		var reader = RegisteredClients.register(server, "claim-reader", List.of("system/*.rs"), List.of("TREAT"));
		String token = RegisteredClients.token(server, reader, "system/*.rs");

		Http.Response response = http.send(HttpRequest.newBuilder(http.uri(IMPORT))
				.header("Content-Type", "application/xml").header("Accept", "application/fhir+json")
				.header("Authorization", "Bearer " + token)
				.POST(HttpRequest.BodyPublishers.ofString(ClaimXml.envelope(facility, List.of(episode)), StandardCharsets.UTF_8)));

		assertThat(response.status()).as(response.body()).isEqualTo(403);
		assertThat(all(Encounter.class, "Encounter?identifier=" + episodeSystem(facility) + "|" + episode.maLk())).isEmpty();
	}

	@Test
	void theCapabilityStatementDeclaresTheOperationWithItsDefinition() {
		var capabilities = http.get("/fhir/metadata", "application/fhir+json")
				.resource(org.hl7.fhir.r4.model.CapabilityStatement.class);
		assertThat(capabilities.getRestFirstRep().getOperation())
				.filteredOn(o -> o.getName().equals("import-claim-xml"))
				.extracting(o -> o.getDefinition())
				.containsExactly("https://vietfhir.org/fhir/OperationDefinition/import-claim-xml");
	}

	// ------------------------------------------------------------------ helpers

	/** An inpatient pneumonia episode with every table: 1 drug, an X-ray, a bed day, 2 results, a course note. */
	static ClaimXml.Episode episode(String facility, String cccd, String maBn) {
		String maLk = "LK" + Fixtures.uniqueValue().substring(0, 12);
		String card = "DN4" + String.format("%02d", 1) + String.format("%010d", (long) (Math.random() * 1e10));
		Map<String, String> xml1 = ClaimXml.row("MA_LK", maLk, "STT", "1", "MA_BN", maBn, "HO_TEN", "Nguyễn Văn An",
				"SO_CCCD", cccd, "NGAY_SINH", "198500000000", "GIOI_TINH", "1", "MA_QUOCTICH", "000", "MA_DANTOC", "01",
				"MA_NGHE_NGHIEP", "00000", "DIA_CHI", "Số 1 Tràng Tiền, phường Hoàn Kiếm, Hà Nội", "MATINH_CU_TRU", "01",
				"MAXA_CU_TRU", "00070", "DIEN_THOAI", "0912345678", "MA_THE_BHYT", card, "MA_DKBD", facility,
				"GT_THE_TU", "20260101", "GT_THE_DEN", "20261231", "LY_DO_VV", "Sốt cao, ho", "CHAN_DOAN_VAO", "Viêm phổi",
				"CHAN_DOAN_RV", "Viêm phổi, tăng huyết áp, đái tháo đường", "MA_BENH_CHINH", "J18.9", "MA_BENH_KT", "I10;E11.9",
				"MA_DOITUONG_KCB", "1", "NGAY_VAO", "202603100815", "NGAY_VAO_NOI_TRU", "202603100900", "NGAY_RA", "202603141000",
				"SO_NGAY_DTRI", "4", "KET_QUA_DTRI", "2", "MA_LOAI_RV", "1", "NGAY_TTOAN", "202603141030",
				"T_THUOC", "480000", "T_VTYT", "0", "T_TONGCHI_BV", "1130000", "T_TONGCHI_BH", "1130000", "T_BNTT", "0",
				"T_BNCCT", "226000.00", "T_BHTT", "904000.00", "T_NGUONKHAC", "0", "NAM_QT", "2026", "THANG_QT", "03",
				"MA_LOAI_KCB", "03", "MA_KHOA", "K02", "MA_CSKCB", facility, "CAN_NANG", "62.5");
		List<Map<String, String>> xml2 = new ArrayList<>(List.of(ClaimXml.row("MA_LK", maLk, "MA_THUOC", "40.239",
				"MA_NHOM", "4", "TEN_THUOC", "Ceftriaxone", "DON_VI_TINH", "lọ", "HAM_LUONG", "1g", "DUONG_DUNG", "2.10",
				"DANG_BAO_CHE", "Bột pha tiêm", "LIEU_DUNG", "2 lọ/ngày, tiêm tĩnh mạch chậm", "CACH_DUNG", "Pha với 10 ml nước cất",
				"SO_LUONG", "8", "DON_GIA", "60000", "THANH_TIEN_BV", "480000", "MUC_HUONG", "80", "T_BHTT", "384000",
				"MA_KHOA", "K02", "MA_BAC_SI", "000123/HNO-CCHN", "NGAY_YL", "202603100900")));
		List<Map<String, String>> xml3 = new ArrayList<>(List.of(
				ClaimXml.row("MA_LK", maLk, "MA_DICH_VU", "18.0071.0001", "MA_PTTT_QT", "87.44", "MA_NHOM", "2",
						"TEN_DICH_VU", "Chụp X-quang ngực thẳng", "DON_VI_TINH", "Lần", "SO_LUONG", "1", "DON_GIA_BV", "650000",
						"DON_GIA_BH", "650000", "THANH_TIEN_BV", "650000", "MA_BENH", "J18.9", "MA_BAC_SI", "000123/HNO-CCHN",
						"NGUOI_THUC_HIEN", "000456/HNO-CCHN", "NGAY_YL", "202603100915", "NGAY_TH_YL", "202603101030",
						"NGAY_KQ", "202603101100"),
				ClaimXml.row("MA_LK", maLk, "MA_DICH_VU", "18.0071.0001", "MA_VAT_TU", "N07.01.010", "TEN_VAT_TU", "Phim X-quang",
						"DON_VI_TINH", "Tấm", "SO_LUONG", "1", "DON_GIA_BV", "0", "THANH_TIEN_BV", "0", "NGAY_YL", "202603100915")));
		List<Map<String, String>> xml4 = new ArrayList<>(List.of(
				ClaimXml.row("MA_LK", maLk, "MA_DICH_VU", "23.0075.1494", "MA_CHI_SO", "GLU", "TEN_CHI_SO", "Glucose máu",
						"GIA_TRI", "7.2", "DON_VI_DO", "mmol/L", "NGAY_KQ", "202603100950", "MA_BS_DOC_KQ", "000456/HNO-CCHN"),
				ClaimXml.row("MA_LK", maLk, "MA_DICH_VU", "18.0071.0001", "MA_CHI_SO", "XQ-NGUC", "TEN_CHI_SO", "X-quang ngực",
						"GIA_TRI", "Mờ đáy phổi phải", "MO_TA", "Đám mờ thùy dưới phải", "KET_LUAN", "Viêm phổi thùy dưới phải",
						"NGAY_KQ", "202603101100", "MA_BS_DOC_KQ", "000456/HNO-CCHN")));
		List<Map<String, String>> xml5 = new ArrayList<>(List.of(ClaimXml.row("MA_LK", maLk, "DIEN_BIEN_LS",
				"Sốt 39 độ, ho đờm, ran nổ đáy phổi phải", "GIAI_DOAN_BENH", "Cấp", "HOI_CHAN", "Không",
				"THOI_DIEM_DBLS", "202603100830", "NGUOI_THUC_HIEN", "000123/HNO-CCHN")));
		return new ClaimXml.Episode(facility, xml1, xml2, xml3, xml4, xml5);
	}

	/** A Hà Nội facility code (01xxx) no other test uses. */
	static String facilityCode() {
		return String.format("01%03d", 1 + (int) (Math.random() * 999));
	}

	static String episodeSystem(String facility) {
		return "https://vietfhir.org/fhir/sid/claim-xml/" + facility;
	}

	private static String codeSystem(String list) {
		return "https://vietfhir.org/fhir/CodeSystem/qd4750-" + list;
	}

	static Http.Response post(String xml) {
		return post(http, xml);
	}

	private static Http.Response post(Http http, String xml) {
		return http.send(HttpRequest.newBuilder(http.uri(IMPORT))
				.header("Content-Type", "application/xml").header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)));
	}

	private static Bundle importOk(String xml) {
		return importOk(http, xml);
	}

	/** Posts the XML and checks that every episode was stored; the batch-response Bundle. */
	static Bundle importOk(Http http, String xml) {
		Http.Response response = post(http, xml);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle bundle = response.resource(Bundle.class);
		bundle.getEntry().forEach(e -> assertThat(e.getResponse().getStatus()).as(response.body()).startsWith("200"));
		return bundle;
	}

	/** Posts the envelopes at once on the pool and checks that every episode of each was stored. */
	private static void postAtOnceAllStored(java.util.concurrent.ExecutorService pool, List<String> envelopes) throws Exception {
		List<java.util.concurrent.Future<Http.Response>> sent = new ArrayList<>();
		for (String xml : envelopes) {
			sent.add(pool.submit(() -> post(xml)));
		}
		for (java.util.concurrent.Future<Http.Response> response : sent) {
			Http.Response answer = response.get();
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			answer.resource(Bundle.class).getEntry().forEach(e ->
					assertThat(e.getResponse().getStatus()).as(answer.body()).startsWith("200"));
		}
	}

	/** Every versioned location the episodes' transactions answered with. */
	private static List<String> locations(Bundle response) {
		List<String> locations = new ArrayList<>();
		for (Bundle.BundleEntryComponent episode : response.getEntry()) {
			((Bundle) episode.getResource()).getEntry().forEach(e -> locations.add(e.getResponse().getLocation()));
		}
		return locations;
	}

	private static <T extends IBaseResource> T one(Class<T> type, String query) {
		List<T> found = all(type, query);
		assertThat(found).as(query).hasSize(1);
		return found.get(0);
	}

	private static <T extends IBaseResource> List<T> all(Class<T> type, String query) {
		Http.Response response = http.get("/fhir/" + query.replace("|", "%7C"), "application/fhir+json");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle bundle = response.resource(Bundle.class);
		return bundle.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
	}

}
