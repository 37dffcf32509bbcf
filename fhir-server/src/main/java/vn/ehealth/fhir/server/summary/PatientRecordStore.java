package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.IInterceptorBroadcaster;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamToken;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SimplePreResourceShowDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.rest.server.util.CompositeInterceptorBroadcaster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.server.storage.HapiTables;
import vn.ehealth.fhir.server.storage.HapiTables.PatientRecord;
import vn.ehealth.fhir.server.storage.StoredResourceText;

/**
 * One patient's record read straight from HAPI's tables: the patient found by id or identifier with
 * one indexed query, the resources of its compartment (every current resource that references it,
 * HFJ_RES_LINK being indexed by target) with one query, their tags with one more, and what they
 * reference with one query per round. HAPI's search would take a search per type and its own
 * bookkeeping for each; the summary and $everything need neither.
 *
 * <p>What leaves through here goes through {@link Pointcut#STORAGE_PRESHOW_RESOURCES} like HAPI's
 * own reads, so the scope filter, the volume limit and the audit trail see it the same way.
 */
class PatientRecordStore {

	/** A current resource's row: the key the paging and the type filters work on. */
	record Row(long pid, String type, String id, boolean compartment) {}

	/** The patient found by id: its row key, or why there is none. */
	record Found(long pid, boolean deleted) {}

	private final DataSource dataSource;
	private final FhirContext fhirContext;
	private final IInterceptorBroadcaster broadcaster;
	private final PartitionSettings partitionSettings;

	PatientRecordStore(DataSource dataSource, FhirContext fhirContext, IInterceptorBroadcaster broadcaster,
			PartitionSettings partitionSettings) {
		this.dataSource = dataSource;
		this.fhirContext = fhirContext;
		this.broadcaster = broadcaster;
		this.partitionSettings = partitionSettings;
	}

	/** The patient with this id, deleted or not; null when there never was one. */
	Found patient(String id) {
		return query(PatientRecord.PATIENT_BY_ID,
				statement -> statement.setString(1, id),
				rows -> rows.next() ? new Found(rows.getLong(1), rows.getTimestamp(2) != null) : null);
	}

	/**
	 * The current patients carrying this identifier (system|value, or value alone when system is
	 * null), at most {@code limit}: one lookup in the token index by HAPI's own hash of it.
	 */
	List<Long> patientsWithIdentifier(String system, String value, int limit) {
		boolean withSystem = system != null;
		long hash = withSystem
				? ResourceIndexedSearchParamToken.calculateHashSystemAndValue(
						partitionSettings, RequestPartitionId.defaultPartition(), "Patient", "identifier", system, value)
				: ResourceIndexedSearchParamToken.calculateHashValue(
						partitionSettings, RequestPartitionId.defaultPartition(), "Patient", "identifier", value);
		return query(withSystem ? PatientRecord.PATIENTS_BY_SYSTEM_AND_VALUE_HASH : PatientRecord.PATIENTS_BY_VALUE_HASH,
				statement -> {
					statement.setLong(1, hash);
					statement.setInt(2, limit);
				},
				rows -> {
					List<Long> pids = new ArrayList<>();
					while (rows.next()) {
						pids.add(rows.getLong(1));
					}
					return pids;
				});
	}

	/**
	 * The patient itself and the current resources that reference it by one of these paths (see
	 * {@link PatientCompartment}), at most {@code maxPerType} of each type (the newest stored),
	 * shown through the preshow hooks (what the caller may not see is left out).
	 */
	List<Resource> patientAndCompartment(long patientPid, Collection<String> paths, int maxPerType, RequestDetails request) {
		// driven by the link index (target, path): an OR of the patient and its links would scan the resource table
		// the per-type cap counts link rows (they name their source's type), so it needs no extra join
		List<Resource> loaded = query(PatientRecord.PATIENT_AND_COMPARTMENT,
				statement -> {
					statement.setLong(1, patientPid);
					statement.setLong(2, patientPid);
					statement.setArray(3, statement.getConnection().createArrayOf("varchar", paths.toArray()));
					statement.setInt(4, maxPerType);
				},
				this::resources);
		return show(loaded, request);
	}

	/** The current resources with these ids ("Type/id"), shown through the preshow hooks. */
	List<Resource> read(Collection<String> typeAndIds, RequestDetails request) {
		if (typeAndIds.isEmpty()) {
			return List.of();
		}
		List<String> types = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (String typeAndId : typeAndIds) {
			int slash = typeAndId.indexOf('/');
			types.add(typeAndId.substring(0, slash));
			ids.add(typeAndId.substring(slash + 1));
		}
		List<Resource> loaded = query(PatientRecord.BY_TYPE_AND_ID,
				statement -> {
					statement.setArray(1, statement.getConnection().createArrayOf("varchar", types.toArray()));
					statement.setArray(2, statement.getConnection().createArrayOf("varchar", ids.toArray()));
				},
				this::resources);
		return show(loaded, request);
	}

	/**
	 * The keys of a patient's whole record in storage order: the patient, every current resource
	 * that references it by one of the compartment paths, and the shared resources those reference
	 * (organisations, practitioners, places, medications: {@code sharedTypes}), each once.
	 * {@code types} (null = all) and {@code since} (null = any time) narrow it.
	 */
	List<Row> everything(long patientPid, Collection<String> compartmentPaths, Collection<String> sharedTypes,
			Collection<String> types, Instant since) {
		StringBuilder sql = new StringBuilder(PatientRecord.EVERYTHING_KEYS);
		if (types != null) {
			sql.append(HapiTables.AND_TYPE_IN);
		}
		if (since != null) {
			sql.append(HapiTables.AND_UPDATED_AFTER);
		}
		sql.append(HapiTables.ORDER_BY_ID);
		return query(sql.toString(),
				statement -> {
					Connection connection = statement.getConnection();
					int i = 1;
					statement.setLong(i++, patientPid);
					statement.setLong(i++, patientPid);
					statement.setArray(i++, connection.createArrayOf("varchar", compartmentPaths.toArray()));
					statement.setArray(i++, connection.createArrayOf("varchar", sharedTypes.toArray()));
					if (types != null) {
						statement.setArray(i++, connection.createArrayOf("varchar", types.toArray()));
					}
					if (since != null) {
						statement.setTimestamp(i, Timestamp.from(since));
					}
				},
				rows -> {
					List<Row> found = new ArrayList<>();
					while (rows.next()) {
						found.add(new Row(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getBoolean(4)));
					}
					return found;
				});
	}

	/** The current resources with these row keys, in the order given, shown through the preshow hooks. */
	List<Resource> load(List<Long> pids, RequestDetails request) {
		if (pids.isEmpty()) {
			return List.of();
		}
		List<Resource> loaded = query(PatientRecord.BY_IDS,
				statement -> statement.setArray(1, statement.getConnection().createArrayOf("bigint", pids.toArray())),
				this::resources);
		// a row deleted since its key was read is simply missing
		Map<Long, Integer> position = new HashMap<>();
		for (int i = 0; i < pids.size(); i++) {
			position.put(pids.get(i), i);
		}
		loaded.sort(Comparator.comparingInt(r -> position.get((Long) r.getUserData(PID))));
		return show(loaded, request);
	}

	private static final String PID = PatientRecordStore.class.getName() + ".pid";

	/** Rows of PatientRecord.COLUMNS to resources with their id and meta; tags read with one more query. */
	private List<Resource> resources(ResultSet rows) throws SQLException {
		List<Resource> resources = new ArrayList<>();
		Map<Long, Meta> tagged = new LinkedHashMap<>();
		IParser parser = fhirContext.newJsonParser();
		while (rows.next()) {
			long pid = rows.getLong(1);
			String type = rows.getString(2);
			String json = StoredResourceText.json(rows.getString(7), rows.getString(8), rows.getBytes(9));
			if (json == null) {
				continue;
			}
			Resource resource = (Resource) parser.parseResource(json);
			Meta meta = StoredResourceText.restoreIdAndMeta(resource, type, rows.getString(3), rows.getLong(4),
					rows.getTimestamp(5).toInstant(), StoredResourceText.source(rows.getString(10), rows.getString(11)));
			resource.setUserData(PID, pid);
			if (rows.getBoolean(6)) {
				tagged.put(pid, meta);
			}
			resources.add(resource);
		}
		if (!tagged.isEmpty()) {
			readTags(rows.getStatement().getConnection(), tagged);
		}
		return resources;
	}

	private static void readTags(Connection connection, Map<Long, Meta> tagged) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(HapiTables.TAGS_OF_IDS)) {
			statement.setArray(1, connection.createArrayOf("bigint", tagged.keySet().toArray()));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					Object userSelected = rows.getObject(7);
					StoredResourceText.addTag(tagged.get(rows.getLong(1)), rows.getInt(2), rows.getString(3), rows.getString(4),
							rows.getString(5), rows.getString(6), userSelected == null ? null : rows.getBoolean(7));
				}
			}
		}
	}

	/** HAPI's preshow hooks over what is about to leave; what they blank out is dropped. */
	private List<Resource> show(List<Resource> resources, RequestDetails request) {
		if (resources.isEmpty()) {
			return resources;
		}
		IInterceptorBroadcaster hooks = CompositeInterceptorBroadcaster.newCompositeBroadcaster(broadcaster, request);
		if (!hooks.hasHooks(Pointcut.STORAGE_PRESHOW_RESOURCES)) {
			return resources;
		}
		SimplePreResourceShowDetails details = new SimplePreResourceShowDetails(resources);
		HookParams params = new HookParams()
				.add(IPreResourceShowDetails.class, details)
				.add(RequestDetails.class, request)
				.addIfMatchesType(ServletRequestDetails.class, request);
		hooks.callHooks(Pointcut.STORAGE_PRESHOW_RESOURCES, params);
		List<Resource> shown = new ArrayList<>(resources.size());
		for (IBaseResource resource : details.getAllResources()) {
			if (resource != null) {
				shown.add((Resource) resource);
			}
		}
		return shown;
	}

	@FunctionalInterface
	private interface Binder {
		void bind(PreparedStatement statement) throws SQLException;
	}

	@FunctionalInterface
	private interface Reader<T> {
		T read(ResultSet rows) throws SQLException;
	}

	private <T> T query(String sql, Binder binder, Reader<T> reader) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			binder.bind(statement);
			try (ResultSet rows = statement.executeQuery()) {
				return reader.read(rows);
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Reading the patient record failed: " + e.getMessage(), e);
		}
	}
}
