package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.MeasureReport;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;
import vn.ehealth.fhir.server.rest.OperationOutcomes;

/**
 * {@code GET /reports/<measure-id>.csv} and {@code .xlsx}: the report of
 * {@code Measure/<id>/$evaluate-measure} with the same parameters, as a file, plus {@code stratifier}
 * (one of the measure's codes; none: the totals). The request is forwarded to that operation on /fhir,
 * so the token, scope, purpose, small-cell rule and audit record are exactly the operation's; a refusal
 * comes back as its OperationOutcome.
 */
@RestController
class ReportDownloads {

	private static final String CSV = "text/csv; charset=UTF-8";
	private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	private final FhirContext fhirContext;

	ReportDownloads(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@GetMapping("/reports/{measure}.{format}")
	void download(@PathVariable String measure, @PathVariable String format, HttpServletRequest request,
			HttpServletResponse response) throws IOException, ServletException {
		Indicator indicator = Indicator.byId(measure).orElse(null);
		if (indicator == null || !(format.equals("csv") || format.equals("xlsx"))) {
			refuse(response, 404, "Không có báo cáo /reports/" + measure + "." + format + " / No such report (.csv or .xlsx of "
					+ "vn-encounters, vn-admissions, vn-discharges, vn-morbidity, vn-deaths, vn-length-of-stay)");
			return;
		}
		String stratifierCode = request.getParameter("stratifier");
		Stratifier stratifier = stratifierCode == null || stratifierCode.isBlank() ? null : Stratifier.byCode(stratifierCode);
		if (stratifierCode != null && !stratifierCode.isBlank()
				&& (stratifier == null || !indicator.stratifiers().contains(stratifier))) {
			refuse(response, 400, "stratifier " + stratifierCode + " không có trong chỉ số " + measure + " / is not a stratifier of "
					+ measure + ": " + indicator.stratifiers().stream().map(s -> s.code).toList());
			return;
		}
		Captured captured = new Captured(response);
		String target = FhirRestServerConfig.FHIR_PATH + "/Measure/" + measure + "/$evaluate-measure?_format=json"
				+ query(request, "periodStart", "periodEnd", "facility", "province", "reportType");
		request.getRequestDispatcher(target).forward(request, captured);
		if (captured.status >= 400) {
			response.setStatus(captured.status);
			response.setContentType("application/fhir+json;charset=UTF-8");
			response.getOutputStream().write(captured.body.toByteArray());
			return;
		}
		MeasureReport report = fhirContext.newJsonParser()
				.parseResource(MeasureReport.class, captured.body.toString(StandardCharsets.UTF_8));
		ReportTable table = ReportTable.of(report, indicator, stratifier);
		String name = measure + (stratifier == null ? "" : "-" + stratifier.code) + "." + format;
		byte[] file = format.equals("csv") ? ReportFiles.csv(table) : ReportFiles.xlsx(table, measure);
		response.setStatus(200);
		response.setContentType(format.equals("csv") ? CSV : XLSX);
		response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
		response.setContentLength(file.length);
		response.getOutputStream().write(file);
	}

	private static String query(HttpServletRequest request, String... names) {
		StringBuilder query = new StringBuilder();
		for (String name : names) {
			String value = request.getParameter(name);
			if (value != null) {
				query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
			}
		}
		return query.toString();
	}

	private void refuse(HttpServletResponse response, int status, String message) throws IOException {
		OperationOutcomes.write(fhirContext, response, status, OperationOutcomes.error(status == 404 ? "not-found" : "invalid", message));
	}

	/** The forwarded operation's answer kept in memory (a report is small) instead of sent. */
	private static final class Captured extends HttpServletResponseWrapper {
		final ByteArrayOutputStream body = new ByteArrayOutputStream();
		int status = 200;
		private PrintWriter writer;

		Captured(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void setStatus(int sc) {
			status = sc;
		}

		@Override
		public void sendError(int sc, String msg) {
			status = sc;
		}

		@Override
		public void sendError(int sc) {
			status = sc;
		}

		@Override
		public void setContentType(String type) {}

		@Override
		public void setHeader(String name, String value) {
			if (name.equalsIgnoreCase("WWW-Authenticate")) {
				super.setHeader(name, value);
			}
		}

		@Override
		public void addHeader(String name, String value) {
			setHeader(name, value);
		}

		@Override
		public ServletOutputStream getOutputStream() {
			return new ServletOutputStream() {
				@Override
				public void write(int b) {
					body.write(b);
				}

				@Override
				public void write(byte[] b, int off, int len) {
					body.write(b, off, len);
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setWriteListener(WriteListener listener) {}
			};
		}

		@Override
		public PrintWriter getWriter() {
			if (writer == null) {
				writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8), true);
			}
			return writer;
		}

		@Override
		public void flushBuffer() {
			if (writer != null) {
				writer.flush();
			}
		}

		@Override
		public boolean isCommitted() {
			return false;
		}

		@Override
		public void setContentLength(int len) {}

		@Override
		public void setContentLengthLong(long len) {}

		@Override
		public void setCharacterEncoding(String charset) {}

		@Override
		public void reset() {
			body.reset();
		}

		@Override
		public void resetBuffer() {
			body.reset();
		}

	}
}
