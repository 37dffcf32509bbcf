package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.ServiceRequest;
import vn.ehealth.fhir.server.claimxml.PaperMapping.Paper;
import vn.ehealth.fhir.terminology.VnCodeSystem;

/**
 * The papers back from the records, the inverse of {@link PaperMapping}: XML7, XML8, XML10, XML11
 * from the Compositions typed by their table, XML13 from the referral, XML14 from the follow-up
 * Appointment, XML15 a row per tuberculosis CarePlan. The fields a paper repeats from XML1 (the
 * person, the card, the dates) are written from XML1, as the ingest read them there.
 */
final class PaperWriter {

	private static final String SNOMED_REFERRAL = "3457005";
	/** XML1 fields the papers repeat (QĐ 4750 Bảng 13, 14, 15), written from XML1 where a paper has them. */
	private static final List<String> FROM_XML1 = List.of("MA_BN", "HO_TEN", "SO_CCCD", "NGAY_SINH", "GIOI_TINH", "MA_QUOCTICH",
			"MA_DANTOC", "MA_NGHE_NGHIEP", "DIA_CHI", "MA_THE_BHYT", "GT_THE_DEN", "NGAY_VAO", "NGAY_VAO_NOI_TRU");

	private PaperWriter() {}

	static boolean isReferral(ServiceRequest order) {
		return order.getCategory().stream().flatMap(c -> c.getCoding().stream()).anyMatch(c -> SNOMED_REFERRAL.equals(c.getCode()));
	}

	/** Every paper table of the episode with its rows (tables without a record left out). */
	static Map<String, List<OutRow>> papers(EpisodeRecords.Episode episode, OutRow xml1, Map<String, List<String>> layout) {
		Map<String, List<OutRow>> tables = new java.util.LinkedHashMap<>();
		for (String table : PaperMapping.COMPOSITIONS) {
			List<OutRow> rows = episode.rows(Composition.class).stream()
					.filter(c -> c.getType().getCoding().stream().anyMatch(t -> t.getSystem() != null
							&& t.getSystem().equals(ClaimCodes.codeSystem("loaihoso")) && table.equals(t.getCode())))
					.map(c -> composition(episode, PaperMapping.PAPERS.get(table), c)).toList();
			put(tables, table, rows);
		}
		put(tables, PaperMapping.XML13, episode.rows(ServiceRequest.class).stream().filter(PaperWriter::isReferral)
				.map(r -> referral(episode, r)).toList());
		put(tables, PaperMapping.XML14, episode.rows(Appointment.class).stream().map(a -> followUp(episode, a)).toList());
		put(tables, PaperMapping.XML15, episode.rows(CarePlan.class).stream().map(PaperWriter::tuberculosis).toList());
		tables.forEach((table, rows) -> rows.forEach(row -> {
			List<String> ownFields = List.of(kept(table));
			for (String field : FROM_XML1) {
				// a field the paper's own mapping keeps (XML7's NGAY_VAO, XML11's MA_THE_BHYT) stays as the paper had it
				if (layout.getOrDefault(table, List.of()).contains(field) && !ownFields.contains(field)) {
					row.putIfAbsent(field, xml1.get(field));
				}
			}
		}));
		return tables;
	}

	/** The fields a paper table's mapping keeps verbatim. */
	private static String[] kept(String table) {
		return switch (table) {
			case PaperMapping.XML13 -> PaperMapping.REFERRAL_KEPT;
			case PaperMapping.XML14 -> PaperMapping.FOLLOW_UP_KEPT;
			case PaperMapping.XML15 -> PaperMapping.TUBERCULOSIS_KEPT;
			default -> PaperMapping.PAPERS.get(table).kept();
		};
	}

	private static void put(Map<String, List<OutRow>> tables, String table, List<OutRow> rows) {
		if (!rows.isEmpty()) {
			tables.put(table, rows);
		}
	}

	/** NGAY_CT is the paper's date when it is a day (the ingest took NGAY_CT, else the discharge time). */
	private static OutRow composition(EpisodeRecords.Episode episode, Paper kind, Composition paper) {
		OutRow row = new OutRow();
		for (Composition.SectionComponent section : paper.getSection()) {
			String field = OutRow.kept(section.getExtension(), "FIELD");
			if (field != null) {
				row.put(field, section.getText().getDiv().allText());
			}
		}
		if (paper.hasDate() && paper.getDateElement().getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY) {
			row.put("NGAY_CT", ClaimValues.day(paper.getDateElement()));
		}
		var author = paper.getAuthorFirstRep();
		if (author.hasIdentifier() && ClaimCodes.BHXH_NUMBER.equals(author.getIdentifier().getSystem())) {
			row.put("MA_BS", author.getIdentifier().getValue());
		}
		if (!author.hasReference()) {
			row.put("TEN_BS", author.getDisplay());
		}
		return row.kept(paper, kind.kept());
	}

	private static OutRow referral(EpisodeRecords.Episode episode, ServiceRequest referral) {
		OutRow row = new OutRow();
		row.put("GIAY_CHUYEN_TUYEN", OutRow.identifier(referral.getIdentifier(), episode.system() + "/giay-chuyen-tuyen"));
		row.put("NGAY_RA", ClaimValues.time(referral.getAuthoredOnElement()));
		row.put("MA_BAC_SI", episode.licences().of(referral.getRequester()));
		row.put("MA_NOI_DEN", referral.hasPerformer() && referral.getPerformerFirstRep().hasIdentifier()
				? referral.getPerformerFirstRep().getIdentifier().getValue() : null);
		diagnoses(row, referral.getReasonCode());
		referral.getReasonCode().stream().map(c -> OutRow.code(c, "ma-lydo-ct")).filter(c -> c != null).findFirst()
				.ifPresent(code -> row.put("MA_LYDO_CT", code));
		for (Annotation note : referral.getNote()) {
			String field = OutRow.kept(note.getExtension(), "FIELD");
			if (field != null) {
				row.put(field, note.getText());
			}
		}
		return row.kept(referral, PaperMapping.REFERRAL_KEPT);
	}

	private static OutRow followUp(EpisodeRecords.Episode episode, Appointment visit) {
		OutRow row = new OutRow();
		row.put("SO_GIAYHEN_KL", OutRow.identifier(visit.getIdentifier(), episode.system() + "/giay-hen-kham-lai"));
		row.put("NGAY_HEN_KL", visit.hasStart() ? ClaimValues.time(visit.getStartElement()) : null);
		row.put("NGAY_CT", visit.hasCreated() ? ClaimValues.day(visit.getCreatedElement()) : null);
		row.put("CHAN_DOAN_RV", visit.getDescription());
		diagnoses(row, visit.getReasonCode());
		String patient = episode.encounter().getSubject().getReference();
		visit.getParticipant().stream().filter(p -> p.hasActor() && !p.getActor().getReference().equals(patient))
				.map(p -> episode.licences().of(p.getActor())).filter(l -> l != null).findFirst()
				.ifPresent(licence -> row.put("MA_BAC_SI", licence));
		return row.kept(visit, PaperMapping.FOLLOW_UP_KEPT);
	}

	private static OutRow tuberculosis(CarePlan plan) {
		OutRow row = new OutRow();
		for (String field : PaperMapping.TUBERCULOSIS_CODED) {
			row.put(field, OutRow.keptCode(plan.getExtension(), field));
		}
		row.put("PHACDO_DTRI_LAO", plan.hasActivity() ? OutRow.code(plan.getActivityFirstRep().getDetail().getCode(), "phacdo-dtri-lao") : null);
		row.put("NGAYBD_DTRI_LAO", ClaimValues.day(plan.getPeriod().getStartElement()));
		row.put("NGAYKT_DTRI_LAO", ClaimValues.day(plan.getPeriod().getEndElement()));
		return row.kept(plan, PaperMapping.TUBERCULOSIS_KEPT);
	}

	/** MA_BENH_CHINH the first ICD-10 reason, MA_BENH_KT the others (the ingest's order). */
	private static void diagnoses(OutRow row, List<CodeableConcept> reasons) {
		List<String> codes = new ArrayList<>();
		reasons.forEach(c -> {
			String code = OutRow.codeIn(c, VnCodeSystem.ICD10.url());
			if (code != null) {
				codes.add(code);
			}
		});
		if (!codes.isEmpty()) {
			row.put("MA_BENH_CHINH", codes.get(0)).put("MA_BENH_KT", OutRow.joined(codes.subList(1, codes.size())));
		}
	}
}
