package vn.ehealth.fhir.server.bulkimport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The addresses $import may fetch from: only URLs under a configured prefix (same scheme, host and
 * port, path at or below the prefix's path). A client may not make the server fetch an address of
 * its choosing (server-side request forgery: cloud metadata, admin ports, intranet hosts); redirects
 * are not followed either (see {@link InputFetcher}), so an allowed host cannot send the fetch elsewhere.
 */
final class UrlAllowList {

	private record Prefix(String scheme, String host, int port, String path) {}

	private final List<Prefix> prefixes;

	UrlAllowList(List<String> prefixes) {
		this.prefixes = prefixes.stream().filter(p -> p != null && !p.isBlank()).map(UrlAllowList::prefix).toList();
	}

	/** Null when the URL may be fetched; otherwise why not, for the 400 answer. */
	String refusal(String url) {
		URI uri;
		try {
			uri = new URI(url);
		} catch (URISyntaxException e) {
			return "it is not a valid URL";
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return "only http and https URLs can be imported";
		}
		if (uri.getRawUserInfo() != null) {
			return "URLs with user information are not accepted";
		}
		String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
		if (rawPath.toLowerCase(Locale.ROOT).contains("%2e") || rawPath.contains("%2f") || rawPath.contains("%2F")
				|| rawPath.contains("\\")) {
			return "URLs with encoded dots or slashes in the path are not accepted";
		}
		if (prefixes.isEmpty()) {
			return "this server imports from no URL (vietfhir.bulk-import.allowed-url-prefixes is empty); upload the NDJSON instead";
		}
		String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
		int port = port(scheme, uri.getPort());
		String path = uri.normalize().getRawPath();
		if (path == null || path.isEmpty()) {
			path = "/";
		}
		for (Prefix prefix : prefixes) {
			if (prefix.scheme().equals(scheme) && prefix.host().equals(host) && prefix.port() == port && under(path, prefix.path())) {
				return null;
			}
		}
		return "it is not under any URL prefix allowed by vietfhir.bulk-import.allowed-url-prefixes";
	}

	private static boolean under(String path, String prefix) {
		if (prefix.endsWith("/")) {
			return path.startsWith(prefix);
		}
		return path.equals(prefix) || path.startsWith(prefix + "/");
	}

	private static Prefix prefix(String text) {
		try {
			URI uri = new URI(text.trim()).normalize();
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if (uri.getHost() == null || (!scheme.equals("http") && !scheme.equals("https"))) {
				throw new IllegalStateException("vietfhir.bulk-import.allowed-url-prefixes: " + text + " is not an http(s) URL");
			}
			String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
			return new Prefix(scheme, uri.getHost().toLowerCase(Locale.ROOT), port(scheme, uri.getPort()), path);
		} catch (URISyntaxException e) {
			throw new IllegalStateException("vietfhir.bulk-import.allowed-url-prefixes: " + text + " is not a URL", e);
		}
	}

	private static int port(String scheme, int port) {
		return port >= 0 ? port : scheme.equals("https") ? 443 : 80;
	}
}
