package vn.ehealth.fhir.server.rest;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.http.parser.HttpParser;

/**
 * Tomcat's NIO connector, accepting raw UTF-8 bytes in the request target as curl and many FHIR
 * clients send them ({@code Patient?family=Nguyễn} typed as is). RFC 9112 wants such bytes
 * percent-encoded and Tomcat has no setting to relax that (relaxedQueryChars takes ASCII only), so its
 * request-line parser is given one that also takes bytes 0x80–0xFF; everything else it refuses, it
 * still refuses. Tomcat decodes the path as UTF-8 (server.tomcat.uri-encoding), {@link Utf8QueryString} the query.
 */
public class Utf8RequestTargetProtocol extends Http11NioProtocol {

	private volatile HttpParser parser;

	@Override
	public HttpParser getHttpParser() {
		HttpParser current = parser;
		if (current == null) {
			// made on first use, after the relaxed path and query characters are configured
			current = new Utf8TolerantParser(getRelaxedPathChars(), getRelaxedQueryChars());
			parser = current;
		}
		return current;
	}

	/** Bytes of the request line arrive as signed Java bytes: 0x80–0xFF are the negative values. */
	private static final class Utf8TolerantParser extends HttpParser {
		Utf8TolerantParser(String relaxedPathChars, String relaxedQueryChars) {
			super(relaxedPathChars, relaxedQueryChars);
		}

		@Override
		public boolean isNotRequestTargetRelaxed(int c) {
			return c >= 0 && super.isNotRequestTargetRelaxed(c);
		}

		@Override
		public boolean isQueryRelaxed(int c) {
			return c < 0 || super.isQueryRelaxed(c);
		}

		@Override
		public boolean isAbsolutePathRelaxed(int c) {
			return c < 0 || super.isAbsolutePathRelaxed(c);
		}
	}
}
