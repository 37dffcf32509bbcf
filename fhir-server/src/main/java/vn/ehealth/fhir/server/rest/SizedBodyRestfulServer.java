package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * HAPI's RestfulServer, except that a body of declared length is read straight into one array of
 * that length. HAPI's {@code ServletRequestDetails} copies the stream into a growing buffer and then
 * into the final array, twice the body's size at the peak: 90 MB for a 45 MB bundle. HAPI parses the
 * resource from a Reader over that array (no String copy); the array is kept for the request, as
 * interceptors read it again ({@code RequestDetails#loadRequestContents} caches it).
 */
class SizedBodyRestfulServer extends RestfulServer {

	SizedBodyRestfulServer(FhirContext fhirContext) {
		super(fhirContext);
	}

	@Override
	protected ServletRequestDetails newRequestDetails() {
		return new SizedBodyRequestDetails(this);
	}

	private static final class SizedBodyRequestDetails extends ServletRequestDetails {

		SizedBodyRequestDetails(RestfulServer server) {
			super(server.getInterceptorService());
		}

		@Override
		protected byte[] getByteStreamRequestContents() {
			long declared = getServletRequest().getContentLengthLong();
			// a gzip body reaches here only when RequestSizeLimitFilter did not decompress it: HAPI's own path then
			if (declared < 0 || declared > Integer.MAX_VALUE - 8 || getHeader(Constants.HEADER_CONTENT_ENCODING) != null) {
				return super.getByteStreamRequestContents();
			}
			try {
				// not closed, as HAPI leaves it: the container owns the request's stream
				InputStream in = getInputStream();
				byte[] body = new byte[(int) declared];
				int read = in.readNBytes(body, 0, body.length);
				return read == body.length ? body : Arrays.copyOf(body, read);
			} catch (IOException e) {
				throw new InvalidRequestException("Không đọc được nội dung yêu cầu / Could not read the request body: "
						+ e.getMessage());
			}
		}
	}
}
