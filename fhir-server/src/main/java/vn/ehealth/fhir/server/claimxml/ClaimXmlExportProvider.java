package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * {@code GET /fhir/Encounter/[id]/$claim-xml}: the episode stored in FHIR written back as the claim
 * XML tables of QĐ 4750/3176 in the submission envelope, so a facility that records in FHIR can still
 * submit its claims (issue 18, "Out"). The inverse of {@code $import-claim-xml}: importing the answer
 * again changes nothing. It reads patient data of many types, so the caller needs read access to each
 * ({@link EpisodeRecords#READ_TYPES}); the records are read under the caller's request, so the audit
 * trail names them as for any read.
 */
public class ClaimXmlExportProvider {

	static final String OPERATION = "$claim-xml";

	private final EpisodeRecords records;

	ClaimXmlExportProvider(EpisodeRecords records) {
		this.records = records;
	}

	@Operation(name = OPERATION, typeName = "Encounter", idempotent = true, manualResponse = true)
	public void claimXml(@IdParam IdType id, ServletRequestDetails request) throws IOException {
		AccessControlInterceptor.requireRead(request, EpisodeRecords.READ_TYPES);
		EpisodeRecords.Episode episode = records.load(id, request);
		byte[] envelope = EnvelopeWriter.envelope(episode.facility(), tables(episode));
		HttpServletResponse response = request.getServletResponse();
		response.setStatus(200);
		response.setContentType("application/xml;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"" + episode.maLk().replaceAll("[^A-Za-z0-9._-]", "_") + ".xml\"");
		response.setContentLength(envelope.length);
		response.getOutputStream().write(envelope);
		response.getOutputStream().flush();
	}

	/** XML1, the detail tables that have rows, then the papers: the order exporters send them in. */
	static Map<String, List<OutRow>> tables(EpisodeRecords.Episode episode) {
		Map<String, List<OutRow>> tables = new LinkedHashMap<>();
		OutRow xml1 = SummaryWriter.xml1(episode);
		tables.put(ClaimTables.XML1, List.of(xml1));
		put(tables, ClaimTables.XML2, DetailWriter.drugs(episode));
		put(tables, ClaimTables.XML3, DetailWriter.services(episode));
		put(tables, ClaimTables.XML4, DetailWriter.results(episode));
		put(tables, ClaimTables.XML5, DetailWriter.course(episode));
		tables.putAll(PaperWriter.papers(episode, xml1, EnvelopeWriter.FIELD_ORDER));
		// every row carries the episode key, as the reader requires
		tables.values().forEach(rows -> rows.forEach(row -> row.putIfAbsent("MA_LK", episode.maLk())));
		return tables;
	}

	private static void put(Map<String, List<OutRow>> tables, String table, List<OutRow> rows) {
		if (!rows.isEmpty()) {
			tables.put(table, rows);
		}
	}
}
