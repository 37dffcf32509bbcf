package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * The possible-duplicates review list: {@code Patient/$duplicates} lists the pairs found on write
 * ({@link MatchIndexHooks}), per 2025 province, with the evidence; {@code Patient/$not-duplicate}
 * records a reviewer's decision that two records are two people, kept so the pair is never suggested
 * again. Merging a pair is {@code Patient/$merge}, which closes it. Scope {@code system/Patient.merge}
 * or admin (security).
 */
public class DuplicateReviewProvider {

	static final String DUPLICATES = "https://vietfhir.org/fhir/OperationDefinition/Patient-duplicates";
	static final String NOT_DUPLICATE = "https://vietfhir.org/fhir/OperationDefinition/Patient-not-duplicate";
	private static final Set<String> STATUSES = Set.of("open", "not-duplicate", "merged");

	private final DataSource dataSource;

	DuplicateReviewProvider(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Operation(name = "$duplicates", typeName = "Patient", idempotent = true, canonicalUrl = DUPLICATES)
	public Parameters duplicates(
			@OperationParam(name = "province", typeName = "string", max = 1) StringType province,
			@OperationParam(name = "status", typeName = "code", max = 1) CodeType status,
			@OperationParam(name = "_count", typeName = "integer", max = 1) IntegerType count) {
		String wanted = status == null || status.getValue() == null ? "open" : status.getValue();
		if (!STATUSES.contains(wanted)) {
			throw new InvalidRequestException("status phải là một trong " + STATUSES + " / status must be one of " + STATUSES);
		}
		int limit = count == null || count.getValue() == null ? 100 : count.getValue();
		if (limit < 1 || limit > 1000) {
			throw new InvalidRequestException("_count phải từ 1 đến 1000 / _count must be between 1 and 1000");
		}
		String code = null;
		if (province != null && province.getValue() != null && !province.getValue().isBlank()) {
			code = ProvinceNames.province2025(province.getValue());
			if (code == null) {
				throw new InvalidRequestException("Không biết tỉnh '" + province.getValue() + "' / Unknown province '"
						+ province.getValue() + "': give a 2025 (or older) province code or name");
			}
		}
		Parameters list = new Parameters();
		for (DuplicateList.Pair pair : pairs(wanted, code, limit)) {
			Parameters.ParametersParameterComponent part = list.addParameter().setName("pair");
			part.addPart().setName("patient").setValue(new Reference("Patient/" + pair.a()));
			part.addPart().setName("patient").setValue(new Reference("Patient/" + pair.b()));
			part.addPart().setName("score").setValue(new DecimalType(pair.score()));
			part.addPart().setName("grade").setValue(new CodeType(pair.grade()));
			part.addPart().setName("evidence").setValue(new StringType(pair.evidence()));
			if (pair.province() != null) {
				part.addPart().setName("province").setValue(new CodeType(pair.province()));
			}
			part.addPart().setName("status").setValue(new CodeType(pair.status()));
			part.addPart().setName("found").setValue(new DateTimeType(pair.found()));
			if (pair.decidedBy() != null) {
				part.addPart().setName("decidedBy").setValue(new StringType(pair.decidedBy()));
			}
		}
		return list;
	}

	@Operation(name = "$not-duplicate", typeName = "Patient", canonicalUrl = NOT_DUPLICATE)
	public OperationOutcome notDuplicate(
			@OperationParam(name = "patient", min = 2, max = 2) List<Reference> patients,
			RequestDetails request) {
		List<String> ids = patients == null ? List.of() : patients.stream()
				.map(r -> r.getReferenceElement().getIdPart()).filter(id -> id != null && !id.isBlank()).distinct().toList();
		if (ids.size() != 2) {
			throw new InvalidRequestException("Cần đúng hai hồ sơ khác nhau (patient = Patient/…) / Give exactly two different patients (patient = Patient/…)");
		}
		Object access = request.getUserData().get(AccessControlInterceptor.ACCESS);
		String reviewer = access instanceof AccessControlInterceptor.Access granted ? granted.clientId() : null;
		try (Connection connection = dataSource.getConnection()) {
			DuplicateList.decide(connection, ids.get(0), ids.get(1), "not-duplicate", reviewer);
		} catch (SQLException e) {
			throw new IllegalStateException("Writing vf_patient_duplicate: " + e.getMessage(), e);
		}
		return OperationOutcomes.info("Đã ghi nhận: Patient/" + ids.get(0) + " và Patient/" + ids.get(1)
				+ " là hai người khác nhau, sẽ không được đề xuất gộp nữa / Recorded: two different people, never suggested again");
	}

	private List<DuplicateList.Pair> pairs(String status, String province, int limit) {
		try (Connection connection = dataSource.getConnection()) {
			return DuplicateList.list(connection, status, province, limit);
		} catch (SQLException e) {
			throw new IllegalStateException("Reading vf_patient_duplicate: " + e.getMessage(), e);
		}
	}
}
