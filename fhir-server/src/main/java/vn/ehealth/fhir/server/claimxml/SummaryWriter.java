package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.terminology.VnCodeSystem;

/**
 * XML1 (TONG_HOP) back from the records: the inverse of {@link PatientMapping} (person and cards),
 * {@link EncounterMapping} (episode and diagnoses) and {@link ClaimMapping}'s totals. The person's
 * fields are the Patient as it is now (the latest episode states them, PatientMapping#merge).
 */
final class SummaryWriter {

	private SummaryWriter() {}

	static OutRow xml1(EpisodeRecords.Episode episode) {
		OutRow row = new OutRow().put("MA_LK", episode.maLk()).put("STT", "1");
		person(row, episode.patient(), episode.facility());
		cards(row, episode.coverages());
		Encounter encounter = episode.encounter();
		reasons(row, encounter);
		row.kept(encounter, EncounterMapping.KEPT);
		diagnoses(row, episode);
		row.put("MA_NOI_DI", identifier(encounter.getHospitalization().getOrigin()));
		row.put("MA_NOI_DEN", identifier(encounter.getHospitalization().getDestination()));
		row.put("NGAY_VAO", ClaimValues.time(encounter.getPeriod().getStartElement()));
		encounter.getClassHistory().stream().filter(h -> "IMP".equals(h.getClass_().getCode())).findFirst()
				.ifPresent(h -> row.put("NGAY_VAO_NOI_TRU", ClaimValues.time(h.getPeriod().getStartElement())));
		row.put("NGAY_RA", ClaimValues.time(encounter.getPeriod().getEndElement()));
		row.put("GIAY_CHUYEN_TUYEN", encounter.getHospitalization().getPreAdmissionIdentifier().getValue());
		if (encounter.hasLength()) {
			row.put("SO_NGAY_DTRI", ClaimValues.number(encounter.getLength().getValue()));
		}
		row.put("KET_QUA_DTRI", OutRow.keptCode(encounter.getExtension(), "KET_QUA_DTRI"));
		row.put("MA_LOAI_RV", OutRow.code(encounter.getHospitalization().getDischargeDisposition(), "ma-loai-rv"));
		if (episode.claim() != null) {
			row.put("T_TONGCHI_BV", episode.claim().hasTotal() ? ClaimValues.number(episode.claim().getTotal().getValue()) : null);
			row.kept(episode.claim(), ClaimMapping.TOTALS);
		}
		String kind = encounter.getType().stream().map(t -> OutRow.code(t, "ma-loai-kcb")).filter(c -> c != null).findFirst()
				.orElse(kindFromClass(encounter.getClass_()));
		row.put("MA_LOAI_KCB", kind);
		row.put("MA_KHOA", encounter.getLocation().stream().map(l -> l.getLocation().getIdentifier().getValue())
				.filter(v -> v != null).findFirst().orElse(null));
		row.put("MA_CSKCB", episode.facility());
		row.put("MA_HSBA", OutRow.identifier(encounter.getIdentifier(), episode.system() + "/ma-hsba"));
		return row;
	}

	private static void person(OutRow row, Patient patient, String facility) {
		row.put("MA_BN", OutRow.identifier(patient.getIdentifier(), ClaimCodes.patientNumberSystem(facility)));
		var name = patient.getName().stream().filter(n -> n.getUse() == org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL)
				.findFirst().orElse(patient.getNameFirstRep());
		row.put("HO_TEN", name.hasText() ? name.getText() : name.getNameAsSingleString());
		for (String system : List.of(IdentifierSystems.CCCD, IdentifierSystems.CMND, IdentifierSystems.PASSPORT)) {
			row.putIfAbsent("SO_CCCD", OutRow.identifier(patient.getIdentifier(), system));
		}
		row.put("NGAY_SINH", ClaimValues.birthDate(patient.getBirthDateElement()));
		row.put("GIOI_TINH", patient.getGender() == null ? null : switch (patient.getGender()) {
			case MALE -> "1";
			case FEMALE -> "2";
			default -> "3";
		});
		Extension nationality = patient.getExtensionByUrl(ClaimCodes.NATIONALITY);
		if (nationality != null && nationality.getExtensionByUrl("code") != null) {
			row.put("MA_QUOCTICH", OutRow.code((CodeableConcept) nationality.getExtensionByUrl("code").getValue(), "ma-quoctich"));
		}
		row.put("MA_DANTOC", coding(patient.getExtensionByUrl(Canonicals.EXT_ETHNICITY), VnCodeSystem.ETHNICITY.url()));
		row.put("MA_NGHE_NGHIEP", coding(patient.getExtensionByUrl(Canonicals.EXT_OCCUPATION), VnCodeSystem.OCCUPATION.url()));
		Address address = patient.getAddress().stream().filter(a -> a.getUse() == Address.AddressUse.HOME).findFirst()
				.orElse(patient.getAddressFirstRep());
		row.put("DIA_CHI", address.getText());
		// the code as sent when the ingest turned a legacy province into its 2025 one; else the province
		row.kept(address, "MATINH_CU_TRU");
		row.putIfAbsent("MATINH_CU_TRU", coding(address.getExtensionByUrl(ClaimCodes.VN_CORE_PROVINCE), null));
		row.kept(address, "MAHUYEN_CU_TRU");
		row.put("MAXA_CU_TRU", coding(address.getExtensionByUrl(ClaimCodes.VN_CORE_WARD), null));
		row.put("DIEN_THOAI", patient.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE)
				.map(ContactPoint::getValue).findFirst().orElse(null));
	}

	/** MA_THE_BHYT, GT_THE_TU, GT_THE_DEN and MA_DKBD list the cards in the same order, ';' between them. */
	private static void cards(OutRow row, List<Coverage> coverages) {
		List<String> cards = new ArrayList<>();
		List<String> from = new ArrayList<>();
		List<String> to = new ArrayList<>();
		List<String> primaryCare = new ArrayList<>();
		for (Coverage coverage : coverages) {
			String card = OutRow.identifier(coverage.getIdentifier(), IdentifierSystems.BHYT);
			if (card == null) {
				continue;
			}
			cards.add(card);
			from.add(ClaimValues.day(coverage.getPeriod().getStartElement()));
			to.add(ClaimValues.day(coverage.getPeriod().getEndElement()));
			Extension dkbd = coverage.getExtensionByUrl(ClaimCodes.VN_CORE_PRIMARY_CARE);
			primaryCare.add(dkbd == null ? null : ((Reference) dkbd.getValue()).getIdentifier().getValue());
			row.kept(coverage, PatientMapping.COVERAGE_KEPT);
		}
		row.put("MA_THE_BHYT", OutRow.joined(cards));
		row.put("GT_THE_TU", OutRow.joined(from));
		row.put("GT_THE_DEN", OutRow.joined(to));
		// one MA_DKBD given for several cards was put on each: one again
		row.put("MA_DKBD", primaryCare.stream().distinct().count() == 1 ? primaryCare.get(0) : OutRow.joined(primaryCare));
	}

	/** LY_DO_VV, LY_DO_VNT (with MA_LY_DO_VNT) and CHAN_DOAN_VAO by the field each reason came from; unmarked ones in that order. */
	private static void reasons(OutRow row, Encounter encounter) {
		List<String> unmarked = new ArrayList<>(List.of("LY_DO_VV", "LY_DO_VNT", "CHAN_DOAN_VAO"));
		for (CodeableConcept reason : encounter.getReasonCode()) {
			String field = OutRow.kept(reason.getExtension(), "FIELD");
			if (field == null) {
				field = OutRow.code(reason, "ma-ly-do-vnt") != null ? "LY_DO_VNT" : unmarked.stream().filter(f -> !row.has(f))
						.findFirst().orElse(null);
			}
			if (field != null) {
				row.putIfAbsent(field, reason.getText());
				if (field.equals("LY_DO_VNT")) {
					row.put("MA_LY_DO_VNT", OutRow.code(reason, "ma-ly-do-vnt"));
				}
			}
		}
	}

	/**
	 * MA_BENH_CHINH (its text CHAN_DOAN_RV when it is not the code's name), MA_BENH_KT and MA_BENH_YHCT
	 * in the Encounter's diagnosis order: by the row key the ingest gave each Condition, else rank 1
	 * the main diagnosis and the rest by code system.
	 */
	private static void diagnoses(OutRow row, EpisodeRecords.Episode episode) {
		List<String> secondary = new ArrayList<>();
		List<String> traditional = new ArrayList<>();
		List<Condition> conditions = new ArrayList<>(episode.rows(Condition.class));
		List<String> order = episode.encounter().getDiagnosis().stream()
				.sorted(java.util.Comparator.comparingInt(d -> d.hasRank() ? d.getRank() : Integer.MAX_VALUE))
				.map(d -> d.getCondition().getReferenceElement().getIdPart()).filter(id -> id != null).toList();
		conditions.sort(java.util.Comparator.comparingInt(c -> {
			int at = order.indexOf(c.getIdElement().getIdPart());
			return at < 0 ? Integer.MAX_VALUE : at;
		}));
		for (Condition condition : conditions) {
			String key = episode.rowKey(condition);
			Coding icd10 = condition.getCode().getCoding().stream().filter(c -> VnCodeSystem.ICD10.url().equals(c.getSystem()))
					.findFirst().orElse(null);
			String yhct = OutRow.code(condition.getCode(), "ma-benh-yhct");
			boolean main = key != null ? key.equals("MA_BENH_CHINH")
					: icd10 != null && !row.has("MA_BENH_CHINH") && !order.isEmpty() && order.get(0).equals(condition.getIdElement().getIdPart());
			if (main && icd10 != null) {
				row.put("MA_BENH_CHINH", icd10.getCode());
				String text = condition.getCode().getText();
				// kept verbatim by the ingest; for a Condition made in FHIR, its text when it is more than the code's name
				row.putIfAbsent("CHAN_DOAN_RV", text != null && !text.equals(icd10.getDisplay()) ? text : null);
			} else if (yhct != null) {
				traditional.add(yhct);
			} else if (icd10 != null) {
				secondary.add(icd10.getCode());
			}
		}
		row.put("MA_BENH_KT", OutRow.joined(secondary));
		row.put("MA_BENH_YHCT", OutRow.joined(traditional));
	}

	/** MA_LOAI_KCB of an Encounter recorded in FHIR, from its class (the inverse of EncounterMapping's): 03 inpatient, 04 day care, 01 the rest. */
	private static String kindFromClass(Coding encounterClass) {
		return switch (encounterClass.getCode() == null ? "" : encounterClass.getCode()) {
			case "IMP", "ACUTE", "NONAC" -> "03";
			case "SS" -> "04";
			default -> "01";
		};
	}

	private static String coding(Extension extension, String system) {
		if (extension == null || !(extension.getValue() instanceof Coding coding)) {
			return null;
		}
		return system == null || system.equals(coding.getSystem()) ? coding.getCode() : null;
	}

	private static String identifier(Reference reference) {
		return reference != null && reference.hasIdentifier() ? reference.getIdentifier().getValue() : null;
	}
}
