package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.FhirTerser;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * Builds the patient summary document: the patient and its compartment read in one query (no
 * query per type or per entry, see {@link PatientRecordStore}), each section's entries deduplicated
 * by code (the most recent kept), the IPS "no known ..." entries where a required section has no
 * data, a narrative for every section in Vietnamese (English when asked with Accept-Language: en),
 * and every referenced resource as an entry. Nothing is cached: each request reads the current data.
 */
class PatientSummaryBuilder {

	static final String PROFILE = "https://vietfhir.org/fhir/StructureDefinition/vn-patient-summary";
	private static final String LOINC = "http://loinc.org";
	private static final String SNOMED = "http://snomed.info/sct";
	/** Stable, so every summary names the same author and custodian. */
	private static final String SERVER_ORGANIZATION_UUID =
			UUID.nameUUIDFromBytes("VietFHIR server organization".getBytes(StandardCharsets.UTF_8)).toString();
	/** How many rounds of "fetch what the entries reference" (entry → encounter → organization). */
	private static final int REFERENCE_DEPTH = 3;

	private final FhirContext fhirContext;
	private final PatientRecordStore store;
	private final PatientCompartment compartment;
	private final int maxPerType;

	PatientSummaryBuilder(FhirContext fhirContext, PatientRecordStore store, PatientCompartment compartment, int maxPerType) {
		this.fhirContext = fhirContext;
		this.store = store;
		this.compartment = compartment;
		this.maxPerType = maxPerType;
	}

	/** The patient-compartment types a summary reads. */
	private static final List<String> SOURCES = List.of("Condition", "AllergyIntolerance", "MedicationRequest",
			"MedicationStatement", "Immunization", "Procedure", "Observation", "DiagnosticReport", "CarePlan");

	/**
	 * The summary of the patient with this row key; 404 when the caller may not see the patient.
	 * One query reads the patient and the records of it (its subject) of the types the caller's
	 * scopes let it see.
	 */
	Bundle build(long patientPid, RequestDetails request) {
		List<String> readable = new ArrayList<>();
		Set<SummarySection> withheld = new HashSet<>();
		for (String type : SOURCES) {
			if (AccessControlInterceptor.mayShow(request, type)) {
				readable.add(type);
			} else {
				withheld.addAll(sectionsOf(type));
			}
		}
		Patient patient = null;
		List<Resource> records = new ArrayList<>();
		for (Resource resource : store.patientAndCompartment(patientPid, compartment.subjectPaths(readable), maxPerType, request)) {
			if (resource instanceof Patient p) {
				patient = p;
			} else {
				records.add(resource);
			}
		}
		if (patient == null) {
			throw new ResourceNotFoundException("The patient is not known or not visible to this client");
		}
		return build(patient, records, withheld, request);
	}

	/** The document from the patient and the records read; package-private for PatientSummaryBuilderTest. */
	Bundle build(Patient patient, List<Resource> records, Set<SummarySection> withheld, RequestDetails request) {
		boolean english = prefersEnglish(request.getHeader("Accept-Language"));
		String base = request.getFhirServerBase();
		String patientRef = patient.getIdElement().toUnqualifiedVersionless().getValue();
		String patientUrl = fullUrl(base, patientRef);

		Map<SummarySection, List<Resource>> sections = new EnumMap<>(SummarySection.class);
		for (SummarySection s : SummarySection.values()) {
			sections.put(s, new ArrayList<>());
		}
		for (Resource resource : records) {
			SummarySection section = sectionOf(resource);
			if (section != null && !enteredInError(resource)) {
				sections.get(section).add(resource);
			}
		}

		Bundle bundle = new Bundle();
		bundle.getMeta().addProfile(PROFILE);
		bundle.setLanguage(english ? "en" : "vi");
		bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
		bundle.setType(Bundle.BundleType.DOCUMENT);
		Date now = new Date();
		bundle.setTimestamp(now);

		Organization server = serverOrganization();
		String serverUrl = "urn:uuid:" + SERVER_ORGANIZATION_UUID;

		String compositionId = UUID.randomUUID().toString();
		Composition composition = new Composition();
		composition.setId(compositionId);
		composition.setLanguage(english ? "en" : "vi");
		composition.setStatus(Composition.CompositionStatus.FINAL);
		composition.setType(new CodeableConcept(new Coding(LOINC, "60591-5", "Patient summary Document"))
				.setText(english ? "Patient summary" : "Tóm tắt hồ sơ sức khỏe"));
		composition.setSubject(new Reference(patientUrl).setDisplay(name(patient)));
		composition.setDateElement(new DateTimeType(now));
		composition.addAuthor(new Reference(serverUrl).setDisplay(server.getName()));
		composition.setCustodian(new Reference(serverUrl).setDisplay(server.getName()));
		composition.setTitle(english ? "Patient summary" : "Tóm tắt hồ sơ sức khỏe");
		composition.setText(paragraph((english ? "Patient summary of " : "Tóm tắt hồ sơ sức khỏe của ") + name(patient)));

		Map<String, Resource> included = new LinkedHashMap<>();
		List<Resource> generated = new ArrayList<>();
		included.put(patientRef, patient);
		for (SummarySection s : SummarySection.values()) {
			List<Resource> entries = deduplicate(sections.get(s));
			if (entries.isEmpty() && !s.required) {
				continue;
			}
			Composition.SectionComponent section = composition.addSection();
			section.setTitle(s.title(english));
			section.setCode(new CodeableConcept(new Coding(LOINC, s.loinc, s.loincDisplay)));
			if (entries.isEmpty() && withheld.contains(s)) {
				// the caller may not see this type: say so rather than claim "no known ..."
				section.setEmptyReason(new CodeableConcept(new Coding(
						"http://terminology.hl7.org/CodeSystem/list-empty-reason", "withheld", "Information Withheld")));
				section.setText(paragraph(english
						? "Not shown: the access token does not allow reading this information."
						: "Không hiển thị: quyền truy cập không cho phép đọc thông tin này."));
			} else {
				if (entries.isEmpty()) {
					Resource noKnown = noKnown(s, patientUrl, english);
					String url = "urn:uuid:" + noKnown.getIdElement().getIdPart();
					generated.add(noKnown);
					section.addEntry(new Reference(url));
					entries = List.of(noKnown);
				} else {
					for (Resource entry : entries) {
						String ref = entry.getIdElement().toUnqualifiedVersionless().getValue();
						included.put(ref, entry);
						section.addEntry(new Reference(fullUrl(base, ref)));
					}
				}
				List<String> lines = new ArrayList<>();
				for (Resource entry : entries) {
					lines.add(describe(entry, english));
				}
				section.setText(list(lines));
			}
		}

		includeReferenced(included, request);

		bundle.addEntry().setFullUrl("urn:uuid:" + compositionId).setResource(composition);
		FhirTerser terser = fhirContext.newTerser();
		for (Map.Entry<String, Resource> entry : included.entrySet()) {
			// a document is read on its own: its entries point at each other by their urn:uuid fullUrl
			Resource copy = entry.getValue().copy();
			for (var ref : terser.getAllResourceReferences(copy)) {
				var id = ref.getResourceReference().getReferenceElement();
				if (id.hasResourceType() && id.hasIdPart() && !id.isAbsolute()) {
					String key = id.getResourceType() + "/" + id.getIdPart();
					if (included.containsKey(key)) {
						ref.getResourceReference().setReference(fullUrl(base, key));
					}
				}
			}
			bundle.addEntry().setFullUrl(fullUrl(base, entry.getKey())).setResource(copy);
		}
		for (Resource resource : generated) {
			bundle.addEntry().setFullUrl("urn:uuid:" + resource.getIdElement().getIdPart()).setResource(resource);
		}
		bundle.addEntry().setFullUrl(serverUrl).setResource(server);
		return bundle;
	}

	/** The same stored resource gets the same urn:uuid in every summary this server makes. */
	private static String fullUrl(String base, String typeAndId) {
		return "urn:uuid:" + UUID.nameUUIDFromBytes((base + "/" + typeAndId).getBytes(StandardCharsets.UTF_8));
	}

	static boolean prefersEnglish(String acceptLanguage) {
		if (acceptLanguage == null || acceptLanguage.isBlank()) {
			return false;
		}
		String first = acceptLanguage.split(",")[0].trim().toLowerCase(Locale.ROOT);
		return first.startsWith("en");
	}

	private static List<SummarySection> sectionsOf(String type) {
		return switch (type) {
			case "Condition" -> List.of(SummarySection.PROBLEMS, SummarySection.PAST_ILLNESS);
			case "AllergyIntolerance" -> List.of(SummarySection.ALLERGIES);
			case "MedicationRequest", "MedicationStatement" -> List.of(SummarySection.MEDICATIONS);
			default -> List.of();
		};
	}

	/** Fetches what the included resources reference, one query per round. */
	private void includeReferenced(Map<String, Resource> included, RequestDetails request) {
		FhirTerser terser = fhirContext.newTerser();
		Set<String> absent = new HashSet<>();
		for (int round = 0; round < REFERENCE_DEPTH; round++) {
			Set<String> missing = new LinkedHashSet<>();
			for (Resource resource : included.values()) {
				for (var ref : terser.getAllResourceReferences(resource)) {
					var id = ref.getResourceReference().getReferenceElement();
					if (id.isEmpty() || id.isAbsolute() || id.isLocal() || !id.hasResourceType() || !id.hasIdPart()) {
						continue;
					}
					String key = id.getResourceType() + "/" + id.getIdPart();
					if (!included.containsKey(key) && !absent.contains(key)
							&& fhirContext.getResourceTypes().contains(id.getResourceType())) {
						missing.add(key);
					}
				}
			}
			if (missing.isEmpty()) {
				return;
			}
			for (Resource r : store.read(missing, request)) {
				included.putIfAbsent(r.getIdElement().toUnqualifiedVersionless().getValue(), r);
			}
			// a reference to a deleted or hidden resource is not looked for again
			absent.addAll(missing);
		}
	}

	private static SummarySection sectionOf(Resource resource) {
		if (resource instanceof Condition c) {
			String clinical = c.getClinicalStatus().getCodingFirstRep().getCode();
			String verification = c.getVerificationStatus().getCodingFirstRep().getCode();
			if ("refuted".equals(verification) || "entered-in-error".equals(verification)) {
				return null;
			}
			// Set.of(..).contains(null) throws: a Condition need not carry a clinical status
			return clinical != null && Set.of("inactive", "remission", "resolved").contains(clinical)
					? SummarySection.PAST_ILLNESS : SummarySection.PROBLEMS;
		}
		if (resource instanceof AllergyIntolerance a) {
			String verification = a.getVerificationStatus().getCodingFirstRep().getCode();
			return "refuted".equals(verification) || "entered-in-error".equals(verification) ? null : SummarySection.ALLERGIES;
		}
		if (resource instanceof MedicationRequest || resource instanceof MedicationStatement) {
			return SummarySection.MEDICATIONS;
		}
		if (resource instanceof Immunization) {
			return SummarySection.IMMUNIZATIONS;
		}
		if (resource instanceof Procedure) {
			return SummarySection.PROCEDURES;
		}
		if (resource instanceof DiagnosticReport) {
			return SummarySection.RESULTS;
		}
		if (resource instanceof CarePlan) {
			return SummarySection.PLAN_OF_CARE;
		}
		if (resource instanceof Observation o) {
			for (CodeableConcept category : o.getCategory()) {
				for (Coding coding : category.getCoding()) {
					if ("vital-signs".equals(coding.getCode())) {
						return SummarySection.VITAL_SIGNS;
					}
					if ("laboratory".equals(coding.getCode())) {
						return SummarySection.RESULTS;
					}
				}
			}
		}
		return null;
	}

	private boolean enteredInError(Resource resource) {
		if (fhirContext.getResourceDefinition(resource).getChildByName("status") == null) {
			return false; // Condition and AllergyIntolerance say it in verificationStatus
		}
		var status = fhirContext.newTerser().getSingleValueOrNull(resource, "status", org.hl7.fhir.instance.model.api.IPrimitiveType.class);
		return status != null && "entered-in-error".equals(status.getValueAsString());
	}

	/** One entry per code (system|code of the first coding, else the text), the most recent kept, newest first. */
	private static List<Resource> deduplicate(List<Resource> resources) {
		Map<String, Resource> byCode = new LinkedHashMap<>();
		for (Resource resource : resources) {
			String key = key(resource);
			Resource kept = byCode.get(key);
			if (kept == null || compareRecency(resource, kept) > 0) {
				byCode.put(key, resource);
			}
		}
		List<Resource> result = new ArrayList<>(byCode.values());
		result.sort(Comparator.comparing(PatientSummaryBuilder::recency, Comparator.nullsLast(Comparator.reverseOrder())));
		return result;
	}

	private static int compareRecency(Resource a, Resource b) {
		return Comparator.nullsFirst(Comparator.<Date>naturalOrder()).compare(recency(a), recency(b));
	}

	private static String key(Resource resource) {
		CodeableConcept code = code(resource);
		if (code != null) {
			for (Coding coding : code.getCoding()) {
				if (coding.hasSystem() && coding.hasCode()) {
					return resource.fhirType() + "|" + coding.getSystem() + "|" + coding.getCode();
				}
			}
			if (code.hasText()) {
				return resource.fhirType() + "|text|" + code.getText().trim().toLowerCase(Locale.ROOT);
			}
		}
		return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
	}

	private static CodeableConcept code(Resource resource) {
		if (resource instanceof Condition c) return c.hasCode() ? c.getCode() : null;
		if (resource instanceof AllergyIntolerance a) return a.hasCode() ? a.getCode() : null;
		if (resource instanceof MedicationRequest m) return m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
		if (resource instanceof MedicationStatement m) return m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
		if (resource instanceof Immunization i) return i.hasVaccineCode() ? i.getVaccineCode() : null;
		if (resource instanceof Procedure p) return p.hasCode() ? p.getCode() : null;
		if (resource instanceof Observation o) return o.hasCode() ? o.getCode() : null;
		if (resource instanceof DiagnosticReport d) return d.hasCode() ? d.getCode() : null;
		if (resource instanceof CarePlan c) return c.hasCategory() ? c.getCategoryFirstRep() : null;
		return null;
	}

	/** When the fact was recorded or happened; the last update when the resource says neither. */
	private static Date recency(Resource resource) {
		Date date = clinicalDate(resource);
		return date != null ? date : resource.getMeta().getLastUpdated();
	}

	/** When the fact was recorded or happened, as the resource says it; null if it does not. */
	private static Date clinicalDate(Resource resource) {
		Date date = null;
		if (resource instanceof Condition c) date = first(c.getRecordedDate(), dateOf(c.getOnset()));
		else if (resource instanceof AllergyIntolerance a) date = first(a.getRecordedDate(), dateOf(a.getOnset()));
		else if (resource instanceof MedicationRequest m) date = m.getAuthoredOn();
		else if (resource instanceof MedicationStatement m) date = first(dateOf(m.getEffective()), m.getDateAsserted());
		else if (resource instanceof Immunization i) date = dateOf(i.getOccurrence());
		else if (resource instanceof Procedure p) date = dateOf(p.getPerformed());
		else if (resource instanceof Observation o) date = first(dateOf(o.getEffective()), o.getIssued());
		else if (resource instanceof DiagnosticReport d) date = first(dateOf(d.getEffective()), d.getIssued());
		else if (resource instanceof CarePlan c) date = first(c.getCreated(), c.getPeriod().getStart());
		return date;
	}

	private static Date first(Date a, Date b) {
		return a != null ? a : b;
	}

	private static Date dateOf(Type value) {
		if (value instanceof DateTimeType d) return d.getValue();
		if (value instanceof Period p) return p.getStart() != null ? p.getStart() : p.getEnd();
		return null;
	}

	/** The IPS "no known ..." statements for an empty required section (IPS 2.0, "Absent and unknown data"). */
	private static Resource noKnown(SummarySection section, String patientUrl, boolean english) {
		String id = UUID.randomUUID().toString();
		Reference subject = new Reference(patientUrl);
		return switch (section) {
			case ALLERGIES -> {
				AllergyIntolerance a = new AllergyIntolerance();
				a.setId(id);
				a.setClinicalStatus(new CodeableConcept(new Coding(
						"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active")));
				a.setCode(new CodeableConcept(new Coding(SNOMED, "716186003", "No known allergy"))
						.setText(english ? "No known allergy" : "Không có dị ứng đã biết"));
				a.setPatient(subject);
				yield a;
			}
			case MEDICATIONS -> {
				MedicationStatement m = new MedicationStatement();
				m.setId(id);
				m.setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE);
				m.setMedication(new CodeableConcept(new Coding(SNOMED, "787481004", "No known medications"))
						.setText(english ? "No known medications" : "Không dùng thuốc nào đã biết"));
				m.setSubject(subject);
				yield m;
			}
			case PROBLEMS -> {
				Condition c = new Condition();
				c.setId(id);
				c.setClinicalStatus(new CodeableConcept(new Coding(
						"http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
				c.setCode(new CodeableConcept(new Coding(SNOMED, "160245001", "No current problems or disability"))
						.setText(english ? "No current problems or disability" : "Không có vấn đề sức khỏe hay khuyết tật hiện tại"));
				c.setSubject(subject);
				yield c;
			}
			default -> throw new IllegalArgumentException(section + " has no 'no known' statement");
		};
	}

	private static Organization serverOrganization() {
		Organization organization = new Organization();
		organization.setId(SERVER_ORGANIZATION_UUID);
		organization.setActive(true);
		organization.setName("VietFHIR");
		organization.addAlias("Máy chủ FHIR quốc gia VietFHIR");
		return organization;
	}

	/** One line of a section's narrative: what, when, and the value or status where it matters. */
	private static String describe(Resource resource, boolean english) {
		StringBuilder line = new StringBuilder(text(code(resource), english ? "(not coded)" : "(không mã hóa)"));
		if (resource instanceof Observation o && o.hasValue()) {
			line.append(": ").append(value(o));
		}
		if (resource instanceof Condition c && c.hasClinicalStatus()) {
			line.append(" (").append(conditionStatus(c.getClinicalStatus().getCodingFirstRep().getCode(), english)).append(")");
		}
		if (resource instanceof MedicationRequest m && m.hasDosageInstruction() && m.getDosageInstructionFirstRep().hasText()) {
			line.append(" — ").append(m.getDosageInstructionFirstRep().getText());
		}
		if (resource instanceof CarePlan c && c.hasTitle()) {
			line.append(": ").append(c.getTitle());
		}
		Date date = clinicalDate(resource);
		if (date != null) {
			SimpleDateFormat format = new SimpleDateFormat(english ? "yyyy-MM-dd" : "dd/MM/yyyy");
			format.setTimeZone(TimeZone.getTimeZone("Asia/Ho_Chi_Minh"));
			line.append(english ? ", " : ", ngày ").append(format.format(date));
		}
		return line.toString();
	}

	private static String value(Observation o) {
		if (o.hasValueQuantity()) {
			var q = o.getValueQuantity();
			return q.getValue().stripTrailingZeros().toPlainString() + (q.hasUnit() ? " " + q.getUnit() : "");
		}
		if (o.hasValueCodeableConcept()) {
			return text(o.getValueCodeableConcept(), "");
		}
		return o.getValue().primitiveValue() == null ? "" : o.getValue().primitiveValue();
	}

	private static String conditionStatus(String code, boolean english) {
		if (code == null) return english ? "unknown" : "không rõ";
		return switch (code) {
			case "active" -> english ? "active" : "đang mắc";
			case "recurrence", "relapse" -> english ? "recurrent" : "tái phát";
			case "inactive" -> english ? "inactive" : "không hoạt động";
			case "remission" -> english ? "in remission" : "thuyên giảm";
			case "resolved" -> english ? "resolved" : "đã khỏi";
			default -> code;
		};
	}

	private static String text(CodeableConcept concept, String otherwise) {
		if (concept == null) return otherwise;
		String code = null;
		for (Coding coding : concept.getCoding()) {
			if (coding.hasCode()) {
				code = coding.getCode();
				break;
			}
		}
		String words = concept.hasText() ? concept.getText()
				: concept.getCodingFirstRep().hasDisplay() ? concept.getCodingFirstRep().getDisplay() : null;
		if (words == null) return code != null ? code : otherwise;
		return code != null ? words + " (" + code + ")" : words;
	}

	private static String name(Patient patient) {
		HumanName name = patient.getNameFirstRep();
		if (name.hasText()) return name.getText();
		StringBuilder text = new StringBuilder(name.hasFamily() ? name.getFamily() : "");
		name.getGiven().forEach(g -> text.append(text.isEmpty() ? "" : " ").append(g.getValue()));
		return text.toString();
	}

	/** A narrative of one paragraph; built as nodes, so the text needs no escaping and nothing is parsed. */
	private static Narrative paragraph(String text) {
		XhtmlNode div = div();
		div.addTag("p").addText(text);
		return generated(div);
	}

	/** A narrative that is a list, one item per line. */
	private static Narrative list(List<String> lines) {
		XhtmlNode div = div();
		XhtmlNode ul = div.addTag("ul");
		lines.forEach(line -> ul.addTag("li").addText(line));
		return generated(div);
	}

	private static XhtmlNode div() {
		XhtmlNode div = new XhtmlNode(NodeType.Element, "div");
		div.setAttribute("xmlns", "http://www.w3.org/1999/xhtml");
		return div;
	}

	private static Narrative generated(XhtmlNode div) {
		Narrative narrative = new Narrative();
		narrative.setStatus(Narrative.NarrativeStatus.GENERATED);
		narrative.setDiv(div);
		return narrative;
	}
}
