package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;

/**
 * {@code Patient/$match} (FHIR R4, http://hl7.org/fhir/OperationDefinition/Patient-match; the IHE PDQm
 * ITI-119 shape): the Patients that may be the person described by {@code resource}, best first, each
 * with {@code search.score} and the {@code match-grade} extension (certain, probable, possible). The
 * candidates are those sharing a blocking key ({@link MatchIndex}), at most {@link #CANDIDATE_CAP};
 * each is scored by {@link MatchScore}. The Patients returned are read with the caller's request, so
 * its scopes, the daily patient limit and the audit trail apply as to any read.
 */
public class PatientMatchProvider {

	static final String MATCH = "http://hl7.org/fhir/OperationDefinition/Patient-match";
	static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";
	/** The stored Patients one $match compares, those sharing the most keys first. */
	static final int CANDIDATE_CAP = 200;
	static final int DEFAULT_COUNT = 10;
	static final int MAX_COUNT = 100;

	private final DataSource dataSource;
	private final IFhirResourceDao<Patient> patients;

	PatientMatchProvider(DataSource dataSource, IFhirResourceDao<Patient> patients) {
		this.dataSource = dataSource;
		this.patients = patients;
	}

	private record Scored(String patientId, MatchScore score) {}

	@Operation(name = "$match", typeName = "Patient", idempotent = false, canonicalUrl = MATCH)
	public Bundle match(
			@OperationParam(name = "resource", min = 1, max = 1) IBaseResource resource,
			@OperationParam(name = "onlyCertainMatches", max = 1) BooleanType onlyCertainMatches,
			@OperationParam(name = "count", max = 1) IntegerType count,
			RequestDetails request) {
		if (!(resource instanceof Patient patient)) {
			throw new InvalidRequestException("$match cần tham số resource là một Patient / $match needs a Patient in the parameter 'resource'");
		}
		int limit = count == null || count.getValue() == null ? DEFAULT_COUNT : count.getValue();
		if (limit < 1 || limit > MAX_COUNT) {
			throw new InvalidRequestException("count phải từ 1 đến " + MAX_COUNT + " / count must be between 1 and " + MAX_COUNT);
		}
		boolean certainOnly = onlyCertainMatches != null && Boolean.TRUE.equals(onlyCertainMatches.getValue());
		PersonFeatures query = PersonFeatures.of(patient);
		Set<String> keys = query.keys();
		if (keys.isEmpty()) {
			throw new InvalidRequestException("Không đủ thông tin để so khớp: cần CCCD, CMND, thẻ BHYT, số điện thoại, hoặc họ tên"
					+ " cùng năm sinh / Not enough to match: give a CCCD, CMND, BHYT card, phone, or a name with a birth year");
		}
		List<Scored> scored = candidates(keys, patient.getIdElement().getIdPart()).stream()
				.map(c -> new Scored(c.patientId(), MatchScore.of(query, c.features())))
				.filter(s -> certainOnly ? s.score().grade().equals("certain") : s.score().score() >= MatchScore.POSSIBLE)
				.sorted(Comparator.comparingDouble((Scored s) -> -s.score().score()).thenComparing(Scored::patientId))
				.limit(limit)
				.toList();
		return bundle(scored, request);
	}

	private List<MatchIndex.Candidate> candidates(Set<String> keys, String self) {
		try (Connection connection = dataSource.getConnection()) {
			return MatchIndex.candidates(connection, keys, self, CANDIDATE_CAP);
		} catch (SQLException e) {
			throw new IllegalStateException("Reading vf_patient_match: " + e.getMessage(), e);
		}
	}

	private Bundle bundle(List<Scored> scored, RequestDetails request) {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
		if (scored.isEmpty()) {
			return bundle.setTotal(0);
		}
		// one search by _id, with the caller's request: scopes, limits and the audit apply as to a read
		TokenOrListParam ids = new TokenOrListParam();
		scored.forEach(s -> ids.add(new TokenParam(s.patientId())));
		SearchParameterMap byId = SearchParameterMap.newSynchronous().add("_id", ids);
		IBundleProvider found = patients.search(byId, request);
		Map<String, Patient> shown = new HashMap<>();
		for (IBaseResource r : found.getResources(0, scored.size())) {
			shown.put(r.getIdElement().getIdPart(), (Patient) r);
		}
		for (Scored s : scored) {
			Patient match = shown.get(s.patientId());
			if (match == null) {
				continue;
			}
			Bundle.BundleEntryComponent entry = bundle.addEntry()
					.setFullUrl(request.getFhirServerBase() + "/" + match.getIdElement().toUnqualifiedVersionless().getValue())
					.setResource(match);
			entry.getSearch().setMode(Bundle.SearchEntryMode.MATCH).setScore(s.score().score())
					.addExtension(MATCH_GRADE, new CodeType(s.score().grade()));
		}
		return bundle.setTotal(bundle.getEntry().size());
	}
}
