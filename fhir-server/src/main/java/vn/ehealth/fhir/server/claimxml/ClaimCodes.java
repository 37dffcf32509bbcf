package vn.ehealth.fhir.server.claimxml;

import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.StringType;

/**
 * The names claim data gets in FHIR: identifier systems scoped to the sending facility (MA_LK is
 * unique per facility only, QĐ 4750 Bảng 1 field 1), the Ministry's code lists of the tables as code
 * systems, and the extension that keeps a field with no FHIR element of its own verbatim, so that the
 * tables can be written back (issue 18, "Out").
 */
final class ClaimCodes {

	private static final String BASE = "https://vietfhir.org/fhir";
	/** VN Core's MA_LK identifier (shared/docs/vn-core-alignment.md): one system, the facility as assigner. */
	static final String VN_CORE_MA_LK = "http://fhir.hl7.org.vn/core/sid/ma-lk";
	static final String VN_CORE_PROVINCE = "http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-province";
	static final String VN_CORE_WARD = "http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-ward";
	static final String VN_CORE_PRIMARY_CARE = "http://fhir.hl7.org.vn/core/StructureDefinition/vn-ext-primary-care-facility";
	static final String NATIONALITY = "http://hl7.org/fhir/StructureDefinition/patient-nationality";
	/** The health-insurance (BHXH) number of a person, as MA_BS and MA_TTDV give signers: not a practising licence. */
	static final String BHXH_NUMBER = BASE + "/sid/ma-so-bhxh";
	static final String ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm";
	/** Tag on Practitioners and Organizations the import had to create from a bare code: to be completed. */
	static final String FLAG_SYSTEM = BASE + "/CodeSystem/claim-xml-flag";
	static final String FLAG_MINIMAL = "minimal-record";

	private ClaimCodes() {}

	/** Identifiers derived from an episode (the Encounter's MA_LK, each row's MA_LK/table/n) of one facility. */
	static String episodeSystem(String facility) {
		return BASE + "/sid/claim-xml/" + facility;
	}

	/** The facility's own patient number MA_BN. */
	static String patientNumberSystem(String facility) {
		return BASE + "/sid/ma-bn/" + facility;
	}

	/** A code list of the tables (Bộ mã DMDC or the annex), e.g. {@code ma-thuoc}, {@code ket-qua-dtri}. */
	static String codeSystem(String list) {
		return BASE + "/CodeSystem/qd4750-" + list;
	}

	static CodeableConcept concept(String list, String code, String display) {
		CodeableConcept concept = new CodeableConcept();
		if (code != null) {
			concept.addCoding(new Coding(codeSystem(list), code, display));
		}
		return concept.setText(display);
	}

	static Identifier identifier(String system, String value) {
		return new Identifier().setSystem(system).setValue(value);
	}

	/** The extension that keeps field {@code field} verbatim: {@code …/StructureDefinition/qd4750-t-bhtt}. */
	static String fieldExtension(String field) {
		return BASE + "/StructureDefinition/qd4750-" + field.toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Keeps each of {@code fields} the row carries as its extension on {@code target}. */
	static void keep(Element target, Submission.Row row, String... fields) {
		for (String field : fields) {
			if (row.has(field)) {
				target.addExtension(fieldExtension(field), new StringType(row.get(field)));
			}
		}
	}

	static void keep(DomainResource target, Submission.Row row, String... fields) {
		for (String field : fields) {
			if (row.has(field)) {
				target.addExtension(fieldExtension(field), new StringType(row.get(field)));
			}
		}
	}
}
