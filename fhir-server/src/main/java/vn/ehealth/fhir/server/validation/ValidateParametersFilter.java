package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code POST [type]/$validate} with a Parameters body ({@code resource}, {@code profile},
 * {@code mode}), as the FHIR spec defines it. HAPI 8.8 validates the Parameters itself instead and
 * reads a uri-typed profile as "UriType[...]"; this turns such a request into the form HAPI handles
 * well (the resource as the body, profile and mode as URL parameters) before it reaches HAPI.
 */
class ValidateParametersFilter extends OncePerRequestFilter {

	private final FhirContext fhirContext;

	ValidateParametersFilter(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		boolean candidate = "POST".equals(request.getMethod())
				&& request.getRequestURI().endsWith("/$validate")
				&& contentType != null
				&& (contentType.contains("json") || contentType.contains("xml"));
		if (!candidate) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = request.getInputStream().readAllBytes();
		HttpServletRequest forwarded = new BufferedRequest(request, body, request.getParameterMap());
		IParser parser = contentType.contains("xml") ? fhirContext.newXmlParser() : fhirContext.newJsonParser();
		try {
			String text = new String(body, StandardCharsets.UTF_8);
			if (text.contains("Parameters")) {
				IBaseResource parsed = parser.parseResource(text);
				if (parsed instanceof Parameters parameters && parameters.getParameter("resource") != null
						&& parameters.getParameter("resource").getResource() != null) {
					Map<String, String[]> query = new LinkedHashMap<>(request.getParameterMap());
					for (String name : new String[] {"profile", "mode"}) {
						Parameters.ParametersParameterComponent value = parameters.getParameter(name);
						if (value != null && value.getValue() != null) {
							query.put(name, new String[] {value.getValue().primitiveValue()});
						}
					}
					byte[] resource = parser.encodeResourceToString(parameters.getParameter("resource").getResource())
							.getBytes(StandardCharsets.UTF_8);
					forwarded = new BufferedRequest(request, resource, query);
				}
			}
		} catch (DataFormatException e) {
			// not parseable: let HAPI answer with its own 400
		}
		chain.doFilter(forwarded, response);
	}

	/** The request with a body already read (or replaced) and, possibly, other parameters. */
	private static final class BufferedRequest extends HttpServletRequestWrapper {
		private final byte[] body;
		private final Map<String, String[]> parameters;

		BufferedRequest(HttpServletRequest request, byte[] body, Map<String, String[]> parameters) {
			super(request);
			this.body = body;
			this.parameters = Collections.unmodifiableMap(parameters);
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {
				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new IllegalStateException("the buffered body is read synchronously");
				}
			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			return parameters;
		}

		@Override
		public String getParameter(String name) {
			String[] values = parameters.get(name);
			return values == null || values.length == 0 ? null : values[0];
		}

		@Override
		public String[] getParameterValues(String name) {
			return parameters.get(name);
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(parameters.keySet());
		}
	}
}
