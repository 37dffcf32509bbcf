package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.audit.AuditTrailInterceptor;
import vn.ehealth.fhir.server.audit.PatientSelection;
import vn.ehealth.fhir.server.storage.HapiTables;

/**
 * Runs one export job: one read-only REPEATABLE READ transaction (so every type comes from the same
 * snapshot, and transactionTime is that snapshot's time), each type streamed to its NDJSON files (or,
 * organised by patient, the patients' blocks: {@link PatientBlocks}), the
 * deleted resources of a _since export as transaction bundles of DELETE entries, then one audit
 * record for the job with its patients (so each one's access log shows the export), then the
 * manifest — written in the same update that marks the job completed.
 */
class ExportRunner {

	/** Thrown out of the streaming loop when the client deleted the job meanwhile. */
	static final class Cancelled extends RuntimeException {
		Cancelled() {
			super("cancelled", null, false, false);
		}
	}

	private static final Logger log = LoggerFactory.getLogger(ExportRunner.class);
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final int DELETED_PER_BUNDLE = 500;
	private static final long HEARTBEAT_MILLIS = 2_000;

	private final DataSource dataSource;
	private final ExportJobStore store;
	private final StoredResources resources;
	private final DaoRegistry daoRegistry;
	private final MatchUrlService matchUrlService;
	private final FhirContext fhirContext;
	private final Path directory;
	private final int maxPerFile;
	private final AuditTrailInterceptor auditTrail;
	private final boolean requiresAccessToken;
	private final ServerMetrics metrics;

	ExportRunner(DataSource dataSource, ExportJobStore store, StoredResources resources, DaoRegistry daoRegistry,
			MatchUrlService matchUrlService, FhirContext fhirContext, Path directory, int maxPerFile,
			AuditTrailInterceptor auditTrail, boolean requiresAccessToken, ServerMetrics metrics) {
		this.metrics = metrics;
		this.auditTrail = auditTrail;
		this.requiresAccessToken = requiresAccessToken;
		this.dataSource = dataSource;
		this.store = store;
		this.resources = resources;
		this.daoRegistry = daoRegistry;
		this.matchUrlService = matchUrlService;
		this.fhirContext = fhirContext;
		this.directory = directory;
		this.maxPerFile = maxPerFile;
	}

	Path jobDir(String jobId) {
		return directory.resolve(jobId);
	}

	/**
	 * The patients the export would hand over if it ran now, for the daily limit at kick-off (the
	 * _typeFilter searches and the Group's members are looked up as the run will look them up).
	 */
	PatientSelection patients(ExportRequest request) {
		Map<String, Long[]> filtered = filteredIds(request);
		List<String> groupMembers = request.level() == ExportRequest.Level.GROUP ? groupMembers(request.groupId()) : null;
		try (Connection connection = dataSource.getConnection()) {
			return ExportPatients.of(request, filtered, compartment(connection, request, groupMembers));
		} catch (SQLException e) {
			throw new IllegalStateException("Could not look up the export's patients: " + e.getMessage(), e);
		}
	}

	void run(ExportJobStore.Job job) throws Exception {
		ExportRequest request = job.request();
		// ids chosen by search (_typeFilter) come from HAPI's search, before the snapshot is taken
		Map<String, Long[]> filtered = filteredIds(request);
		List<String> groupMembers = request.level() == ExportRequest.Level.GROUP ? groupMembers(request.groupId()) : null;

		Progress progress = new Progress(job.id());
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			// counts and reads of whole tables: longer than a request's statement timeout on purpose
			vn.ehealth.fhir.server.storage.StatementTimeout.liftForTransaction(connection);
			try {
				Instant transactionTime = snapshotTime(connection);
				store.started(job.id(), transactionTime);
				Long[] patients = compartment(connection, request, groupMembers);
				// system level: one count per type, so empty types are skipped and progress has a total; a
				// patient-scoped export reads only the compartment, where a count of the whole table is waste
				Map<String, Long> counts = request.patientScoped() || request.organizedByPatient() ? null : counts(connection, request);
				progress.expect(counts == null ? Map.of() : counts);

				try (NdjsonFiles files = new NdjsonFiles(jobDir(job.id()), maxPerFile)) {
					Elements elements = request.elements() == null ? null : new Elements(request.elements());
					if (request.organizedByPatient()) {
						new PatientBlocks(resources).write(connection, request, filtered, patients, elements, files, progress::one);
						progress.typeDone(PatientBlocks.ORGANIZED_BY);
					} else {
						writeByType(connection, request, counts, filtered, patients, elements, files, progress);
					}
					if (request.since() != null && !request.patientScoped()) {
						files.startType("Bundle", NdjsonFiles.DELETED);
						writeDeleted(connection, request, files);
					}
					writeWarnings(request, files);
					String manifest = manifest(job.id(), request, transactionTime, files.files());
					// on record before the manifest shows the files (the citizen's access log, Circular 38/2024)
					audit(job.id(), request, ExportPatients.of(request, filtered, patients), progress.total);
					if (!store.completed(job.id(), manifest, progress.finalText())) {
						throw new Cancelled();
					}
					metrics.bulkJobEnded("export", "completed", progress.total);
				}
			} finally {
				connection.rollback();
			}
		}
	}

	/** Each type streamed to its own files (Bulk Data 2.0; the fast path). */
	private void writeByType(Connection connection, ExportRequest request, Map<String, Long> counts,
			Map<String, Long[]> filtered, Long[] patients, Elements elements, NdjsonFiles files, Progress progress)
			throws SQLException, IOException {
		for (String type : request.types()) {
			if (counts != null && counts.getOrDefault(type, 0L) == 0) {
				continue;
			}
			files.startType(type, type);
			var selection = new StoredResources.Selection(type, request.since(), request.until(), filtered.get(type), patients,
					request.patientScoped());
			resources.stream(connection, selection, elements, line -> {
				files.write(line);
				progress.one(type);
			});
			progress.typeDone(type);
		}
	}

	private Map<String, Long[]> filteredIds(ExportRequest request) {
		Map<String, Long[]> filtered = new HashMap<>();
		for (var entry : request.typeFilters().entrySet()) {
			filtered.put(entry.getKey(), matchingIds(entry.getKey(), entry.getValue()));
		}
		return filtered;
	}

	/** The patients (RES_ID) of a Group export or of a Patient export naming them; null: no such limit. */
	private static Long[] compartment(Connection connection, ExportRequest request, List<String> groupMembers)
			throws SQLException {
		if (groupMembers != null) {
			// Bulk Data: a Group export's patient parameter narrows it to those of its members
			List<String> members = request.patients().isEmpty() ? groupMembers
					: groupMembers.stream().filter(request.patients()::contains).toList();
			return StoredResources.patientPids(connection, members);
		}
		return request.patients().isEmpty() ? null : StoredResources.patientPids(connection, request.patients());
	}

	/** One audit record for the whole export, its patients indexed in one SQL pass. */
	private void audit(String jobId, ExportRequest request, PatientSelection patients, long resources) {
		long start = System.nanoTime();
		Map<String, Object> context = new HashMap<>();
		context.put("client_id", request.clientId());
		context.put("facility", request.facility());
		context.put("purpose", request.purpose());
		context.put("job", jobId);
		context.put("request", request.requestUrl());
		context.put("server", request.serverBase());
		context.put("resource_count", resources);
		auditTrail.recordBulkAccess(BulkExportProvider.EXPORT, context, patients);
		log.info("Export {}: audit record with its patients written in {} ms", jobId, (System.nanoTime() - start) / 1_000_000);
	}

	private static Instant snapshotTime(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT now()");
				ResultSet rows = statement.executeQuery()) {
			rows.next();
			return rows.getTimestamp(1).toInstant();
		}
	}

	private static Map<String, Long> counts(Connection connection, ExportRequest request) throws SQLException {
		StringBuilder sql = new StringBuilder(HapiTables.Export.COUNT_BY_TYPE);
		if (request.since() != null) {
			sql.append(HapiTables.AND_UPDATED_AFTER);
		}
		if (request.until() != null) {
			sql.append(HapiTables.AND_UPDATED_UNTIL);
		}
		sql.append(HapiTables.Export.GROUP_BY_TYPE);
		try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
			statement.setArray(1, connection.createArrayOf("varchar", request.types().toArray()));
			int next = 2;
			if (request.since() != null) {
				statement.setTimestamp(next++, Timestamp.from(request.since()));
			}
			if (request.until() != null) {
				statement.setTimestamp(next, Timestamp.from(request.until()));
			}
			Map<String, Long> counts = new HashMap<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					counts.put(rows.getString(1), rows.getLong(2));
				}
			}
			return counts;
		}
	}

	private Long[] matchingIds(String type, List<String> queries) {
		Set<Long> ids = new TreeSet<>();
		var definition = fhirContext.getResourceDefinition(type);
		for (String query : queries) {
			SearchParameterMap map = matchUrlService.translateMatchUrl(type + "?" + query, definition);
			map.setLoadSynchronous(true);
			List<IResourcePersistentId> found = daoRegistry.getResourceDao(type).searchForIds(map, new SystemRequestDetails());
			for (IResourcePersistentId<?> id : found) {
				ids.add(((Number) id.getId()).longValue());
			}
		}
		return ids.toArray(Long[]::new);
	}

	/** The ids of the Patients a Group lists as members. */
	List<String> groupMembers(String groupId) {
		Group group = (Group) daoRegistry.getResourceDao("Group").read(new IdType("Group", groupId), new SystemRequestDetails());
		Set<String> ids = new LinkedHashSet<>();
		for (Group.GroupMemberComponent member : group.getMember()) {
			Reference entity = member.getEntity();
			if (entity != null && "Patient".equals(entity.getReferenceElement().getResourceType())) {
				ids.add(entity.getReferenceElement().getIdPart());
			}
		}
		return new ArrayList<>(ids);
	}

	private void writeDeleted(Connection connection, ExportRequest request, NdjsonFiles files) throws SQLException, IOException {
		try (PreparedStatement statement = connection.prepareStatement(
				request.until() == null ? HapiTables.Export.DELETED_SINCE : HapiTables.Export.DELETED_BETWEEN)) {
			statement.setTimestamp(1, Timestamp.from(request.since()));
			statement.setArray(2, connection.createArrayOf("varchar", request.types().toArray()));
			if (request.until() != null) {
				statement.setTimestamp(3, Timestamp.from(request.until()));
			}
			statement.setFetchSize(2_000);
			List<String> urls = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					urls.add(rows.getString(1) + "/" + rows.getString(2));
					if (urls.size() == DELETED_PER_BUNDLE) {
						files.write(deletionBundle(urls));
						urls.clear();
					}
				}
			}
			if (!urls.isEmpty()) {
				files.write(deletionBundle(urls));
			}
		}
	}

	/**
	 * What a lenient kick-off (Prefer: handling=lenient) left out, as OperationOutcome lines of the
	 * manifest's error file: Bulk Data 2.0 lets a server ignore what it does not support when the
	 * client asked for lenient handling, and tell it there.
	 */
	private static void writeWarnings(ExportRequest request, NdjsonFiles files) throws IOException {
		if (request.warnings().isEmpty()) {
			return;
		}
		files.startType("OperationOutcome", NdjsonFiles.ERROR);
		for (String warning : request.warnings()) {
			ObjectNode outcome = JSON.createObjectNode();
			outcome.put("resourceType", "OperationOutcome");
			outcome.putArray("issue").addObject().put("severity", "warning").put("code", "not-supported")
					.put("diagnostics", warning);
			files.write(outcome.toString());
		}
	}

	private static String deletionBundle(List<String> urls) {
		ObjectNode bundle = JSON.createObjectNode();
		bundle.put("resourceType", "Bundle");
		bundle.put("type", "transaction");
		ArrayNode entries = bundle.putArray("entry");
		for (String url : urls) {
			ObjectNode entry = entries.addObject();
			entry.putObject("request").put("method", "DELETE").put("url", url);
		}
		return bundle.toString();
	}

	private String manifest(String jobId, ExportRequest request, Instant transactionTime, List<NdjsonFiles.OutputFile> files) {
		ObjectNode manifest = JSON.createObjectNode();
		manifest.put("transactionTime", DateTimeFormatter.ISO_INSTANT.format(transactionTime));
		manifest.put("request", request.requestUrl());
		// with security off (local demos) the files are served without a token, and the manifest says so
		manifest.put("requiresAccessToken", requiresAccessToken);
		if (request.organizedByPatient()) {
			// Bulk Data 3.0: the organizeOutputBy value; the output items then carry no type
			manifest.put("outputOrganizedBy", PatientBlocks.ORGANIZED_BY);
		}
		ArrayNode output = manifest.putArray("output");
		ArrayNode deleted = manifest.putArray("deleted");
		ArrayNode error = JSON.createArrayNode();
		for (NdjsonFiles.OutputFile file : files) {
			ArrayNode list = file.name().startsWith(NdjsonFiles.DELETED + "-") ? deleted
					: file.name().startsWith(NdjsonFiles.ERROR + "-") ? error : output;
			ObjectNode item = list.addObject();
			if (file.type() != null) {
				item.put("type", file.type());
			}
			item.put("url", fileUrl(jobId, request, file.name()));
			if (file.continuesIn() != null) {
				item.put("continuesInFile", fileUrl(jobId, request, file.continuesIn()));
			}
			item.put("count", file.count());
		}
		manifest.set("error", error);
		return manifest.toString();
	}

	private static String fileUrl(String jobId, ExportRequest request, String name) {
		return request.serverBase() + "/" + BulkExportProvider.DOWNLOAD + "?_jobId=" + jobId
				+ "&_file=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
	}

	/** Counts lines as they go and reports them (and the worker's liveness) every couple of seconds. */
	private final class Progress {
		private final String jobId;
		private Map<String, Long> expected = Map.of();
		private long total;
		private long lastBeat = System.currentTimeMillis();

		Progress(String jobId) {
			this.jobId = jobId;
		}

		void expect(Map<String, Long> counts) {
			this.expected = counts;
		}

		void one(String type) {
			total++;
			if ((total & 1023) == 0 && System.currentTimeMillis() - lastBeat > HEARTBEAT_MILLIS) {
				beat(type);
			}
		}

		void typeDone(String type) {
			beat(type);
		}

		private void beat(String type) {
			lastBeat = System.currentTimeMillis();
			if (!store.heartbeat(jobId, text(type))) {
				throw new Cancelled();
			}
		}

		private String text(String current) {
			long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
			String counts = expectedTotal > 0
					? total + "/" + expectedTotal + " (" + Math.min(100, total * 100 / expectedTotal) + "%)"
					: Long.toString(total);
			// HTTP header text (X-Progress): ASCII only
			return "exported " + counts + " resources, now " + current;
		}

		String finalText() {
			return "completed: " + total + " resources";
		}
	}
}
