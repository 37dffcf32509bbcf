package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Session;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * One current Patient per CCCD (Decision 5349/QĐ-BYT: one health record per citizen, keyed by the
 * personal identification number). Each Patient's CCCDs (either namespace, normalised) are rows of
 * {@code vf_patient_cccd}, whose primary key is the CCCD, written on the Patient's own database
 * transaction (the JPA session's connection) just before it commits. A second Patient claiming a
 * CCCD is refused with 409 naming the first; two nodes creating the same new citizen at once meet
 * at the key (PostgreSQL makes the second insert wait for the first transaction and then see its
 * row), so only one commits. A refusal rolls back the whole request, a transaction bundle included.
 * A conditional create or update on the identifier never gets here for an existing citizen: its
 * match URL already found that record ({@link EquivalentIdentifierSearch} covers both systems).
 */
public final class CitizenIdRegistry {

	static final String REMOVE_OTHERS = "DELETE FROM vf_patient_cccd WHERE patient_id = ? AND NOT (cccd = ANY (?))";
	static final String CLAIM = "INSERT INTO vf_patient_cccd (cccd, patient_id) VALUES (?, ?) ON CONFLICT (cccd) DO NOTHING";
	static final String OWNER = "SELECT patient_id FROM vf_patient_cccd WHERE cccd = ?";
	static final String REMOVE_ALL = "DELETE FROM vf_patient_cccd WHERE patient_id = ?";
	private static final Set<String> MERGE_OPERATIONS = Set.of("$merge", "$unmerge");
	static final String TAKE_OVER = "UPDATE vf_patient_cccd SET patient_id = ? WHERE cccd = ?";

	/** A CCCD this Patient claims and the other Patient that holds it. */
	private record Conflict(String cccd, String owner) {}

	private final EntityManager entityManager;
	private final IFhirResourceDao<Patient> patients;
	private final RunningMerges runningMerges;

	CitizenIdRegistry(EntityManager entityManager, IFhirResourceDao<Patient> patients, RunningMerges runningMerges) {
		this.entityManager = entityManager;
		this.patients = patients;
		this.runningMerges = runningMerges;
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = RequestPipeline.Precommit.CITIZEN_ID_REGISTRY)
	public void created(IBaseResource resource, RequestDetails request) {
		claim(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = RequestPipeline.Precommit.CITIZEN_ID_REGISTRY)
	public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		claim(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = RequestPipeline.Precommit.CITIZEN_ID_REGISTRY)
	public void deleted(IBaseResource resource) {
		if (resource instanceof Patient patient) {
			String id = patient.getIdElement().getIdPart();
			work(connection -> {
				try (PreparedStatement remove = connection.prepareStatement(REMOVE_ALL)) {
					remove.setString(1, id);
					remove.executeUpdate();
				}
				return null;
			});
		}
	}

	/**
	 * The valid CCCDs of a Patient, under either namespace, as the key writes them; none for a
	 * Patient merged into another ($merge gave its identifiers to the target, which now holds them).
	 */
	static Set<String> cccds(Patient patient) {
		Set<String> cccds = new TreeSet<>();
		if (MatchIndex.mergedAway(patient)) {
			return cccds;
		}
		for (Identifier identifier : patient.getIdentifier()) {
			String cccd = IdentifierNamespaces.normalisedCccd(identifier.getSystem(), identifier.getValue());
			if (cccd != null) {
				cccds.add(cccd);
			}
		}
		return cccds;
	}

	private void claim(IBaseResource resource, RequestDetails request) {
		if (!(resource instanceof Patient patient)) {
			return;
		}
		boolean merging = isMerge(request);
		String id = patient.getIdElement().getIdPart();
		Set<String> cccds = cccds(patient);
		Conflict conflict = work(connection -> {
			// a CCCD the Patient no longer carries is free for another record
			try (PreparedStatement remove = connection.prepareStatement(REMOVE_OTHERS)) {
				Array kept = connection.createArrayOf("varchar", cccds.toArray());
				remove.setString(1, id);
				remove.setArray(2, kept);
				remove.executeUpdate();
			}
			// sorted, so two transactions claiming the same CCCDs wait on them in the same order
			for (String cccd : cccds) {
				String other = claim(connection, cccd, id);
				if (other != null && (merging || runningMerges.running(other, id)) && linked(patient, other)) {
					takeOver(connection, cccd, id);
				} else if (other != null) {
					return new Conflict(cccd, other);
				}
			}
			return null;
		});
		if (conflict != null) {
			throw duplicate(conflict.cccd(), conflict.owner());
		}
	}

	/** Null when the CCCD is now this Patient's, else the id of the Patient it belongs to. */
	private static String claim(Connection connection, String cccd, String id) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(CLAIM)) {
			insert.setString(1, cccd);
			insert.setString(2, id);
			if (insert.executeUpdate() == 1) {
				return null;
			}
		}
		try (PreparedStatement owner = connection.prepareStatement(OWNER)) {
			owner.setString(1, cccd);
			try (ResultSet rows = owner.executeQuery()) {
				String holder = rows.next() ? rows.getString(1) : null;
				return id.equals(holder) ? null : holder;
			}
		}
	}

	/**
	 * Whether the two are the two sides of a merge: this Patient replaces the holder ($merge writes the
	 * target, with the source's identifiers, before the source), or the holder replaces this one
	 * ($unmerge gives the source its pre-merge version back while the target may still hold them).
	 */
	private boolean linked(Patient patient, String holderId) {
		if (patient.getLink().stream().anyMatch(l -> l.getType() == Patient.LinkType.REPLACES
				&& holderId.equals(l.getOther().getReferenceElement().getIdPart()))) {
			return true;
		}
		Patient holder = patients.read(new IdType("Patient", holderId), new SystemRequestDetails());
		String id = patient.getIdElement().getIdPart();
		return holder.getLink().stream().anyMatch(l -> l.getType() == Patient.LinkType.REPLACES
				&& id.equals(l.getOther().getReferenceElement().getIdPart()));
	}

	/**
	 * Whether the write is part of Patient/$merge or $unmerge: a plain write (or an import) carrying a
	 * {@code replaces} link takes no CCCD from anyone. A merge's background job (above its
	 * resource limit) writes as the system: {@link RunningMerges} knows it.
	 */
	static boolean isMerge(RequestDetails request) {
		return request != null && request.getOperation() != null && MERGE_OPERATIONS.contains(request.getOperation());
	}

	private static void takeOver(Connection connection, String cccd, String id) throws SQLException {
		try (PreparedStatement update = connection.prepareStatement(TAKE_OVER)) {
			update.setString(1, id);
			update.setString(2, cccd);
			update.executeUpdate();
		}
	}

	static ResourceVersionConflictException duplicate(String cccd, String existing) {
		String message = "Số CCCD " + cccd + " đã thuộc về hồ sơ Patient/" + existing
				+ ": mỗi công dân chỉ có một hồ sơ; hãy cập nhật hồ sơ đó, hoặc tạo có điều kiện (If-None-Exist: identifier=…|"
				+ cccd + ") / The CCCD " + cccd + " already belongs to Patient/" + existing
				+ ": one record per citizen; update that record, or use a conditional create (If-None-Exist: identifier=…|"
				+ cccd + ")";
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
				.setSeverity(OperationOutcome.IssueSeverity.ERROR)
				.setCode(OperationOutcome.IssueType.DUPLICATE)
				.setDiagnostics(message)
				.addExpression("Patient.identifier")
				.getDetails().setText("Patient/" + existing);
		return new ResourceVersionConflictException(message, outcome);
	}

	private <T> T work(org.hibernate.jdbc.ReturningWork<T> work) {
		// the JPA session's own connection: the rows commit or roll back with the Patient
		return entityManager.unwrap(Session.class).doReturningWork(work);
	}
}
