package vn.ehealth.fhir.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.net.InetAddresses;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.springframework.web.util.UriComponentsBuilder;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;
import vn.ehealth.fhir.server.rest.FhirSettings;

/**
 * The public URLs the security checks compare against (token issuer, token endpoint as the client
 * assertion's audience, FHIR base as the access token's audience): from configuration
 * ({@code vietfhir.security.issuer}, else {@code vietfhir.fhir.server-address}). Never from an
 * arbitrary Host header, which the client chooses: with nothing configured, the request's Host is
 * used only when it names this machine (localhost, its host name, or an address of one of its network
 * interfaces) at the port the request came in on; any other Host gets {@code localhost} at that port.
 */
final class ServerUrls {

	private final SecuritySettings security;
	private final FhirSettings fhir;
	/** Whether a Host header's host is this machine; bounded, as the names come from clients. */
	private final Cache<String, Boolean> ownHosts = Caffeine.newBuilder()
			.maximumSize(256)
			.expireAfterWrite(Duration.ofMinutes(1))
			.build();

	ServerUrls(SecuritySettings security, FhirSettings fhir) {
		this.security = security;
		this.fhir = fhir;
	}

	/** Whether an issuer is configured ({@code vietfhir.security.issuer} or {@code vietfhir.fhir.server-address}). */
	boolean isConfigured() {
		return !security.issuer().isBlank() || !fhir.serverAddress().isBlank();
	}

	/** The issuer of our tokens: the server's root URL. */
	String issuer(HttpServletRequest request) {
		String configured = security.issuer();
		if (!configured.isBlank()) {
			return stripSlash(configured);
		}
		String fhirAddress = fhir.serverAddress();
		if (!fhirAddress.isBlank()) {
			String base = stripSlash(fhirAddress);
			return base.endsWith(FhirRestServerConfig.FHIR_PATH)
					? base.substring(0, base.length() - FhirRestServerConfig.FHIR_PATH.length())
					: base;
		}
		return localRoot(request);
	}

	String fhirBase(HttpServletRequest request) {
		String fhirAddress = fhir.serverAddress();
		return fhirAddress.isBlank() ? issuer(request) + FhirRestServerConfig.FHIR_PATH : stripSlash(fhirAddress);
	}

	String tokenEndpoint(HttpServletRequest request) {
		return issuer(request) + TokenEndpoint.PATH;
	}

	/** Nothing configured (embedded/dev default): this machine's own name at the port the request reached. */
	private String localRoot(HttpServletRequest request) {
		int port = request.getLocalPort();
		String host = request.getServerName();
		if (request.getServerPort() != port || !isOwnHost(host)) {
			host = "localhost";
		}
		boolean defaultPort = ("http".equals(request.getScheme()) && port == 80)
				|| ("https".equals(request.getScheme()) && port == 443);
		return stripSlash(UriComponentsBuilder.newInstance()
				.scheme(request.getScheme())
				.host(host)
				.port(defaultPort ? -1 : port)
				.path(request.getContextPath())
				.build()
				.toUriString());
	}

	private boolean isOwnHost(String host) {
		return host != null && ownHosts.get(host.toLowerCase(Locale.ROOT), ServerUrls::namesThisMachine);
	}

	/** Names are compared, never resolved (a lookup of a client's name could answer anything); addresses are looked up among the interfaces. */
	private static boolean namesThisMachine(String host) {
		if (host.equals("localhost")) {
			return true;
		}
		try {
			if (host.equalsIgnoreCase(InetAddress.getLocalHost().getHostName())) {
				return true;
			}
		} catch (UnknownHostException e) {
			// no host name of its own: only localhost and addresses
		}
		String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		if (!InetAddresses.isInetAddress(literal)) {
			return false;
		}
		InetAddress address = InetAddresses.forString(literal); // parsed, never looked up
		try {
			return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
		} catch (SocketException e) {
			return false;
		}
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}
}
