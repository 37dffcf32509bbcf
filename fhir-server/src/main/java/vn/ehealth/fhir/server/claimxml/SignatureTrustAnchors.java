package vn.ehealth.fhir.server.claimxml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The CA certificates the operator trusts for facility signatures ({@code vietfhir.claim-xml.signature.trusted-ca}):
 * read once at start-up from local files only, never fetched. A path that cannot be read stops the
 * start-up with the file named, rather than leaving every signature untrusted.
 */
final class SignatureTrustAnchors {

	private SignatureTrustAnchors() {}

	static Set<TrustAnchor> load(String location, String password) {
		if (location == null || location.isBlank()) {
			return Set.of();
		}
		Path path = Path.of(location);
		List<Path> files = new ArrayList<>();
		try {
			if (Files.isDirectory(path)) {
				try (Stream<Path> listed = Files.list(path)) {
					listed.filter(Files::isRegularFile).filter(SignatureTrustAnchors::isCertificateFile).sorted().forEach(files::add);
				}
			} else {
				files.add(path);
			}
			Set<TrustAnchor> anchors = new HashSet<>();
			for (Path file : files) {
				for (X509Certificate certificate : certificates(file, password)) {
					anchors.add(new TrustAnchor(certificate, null));
				}
			}
			if (anchors.isEmpty()) {
				throw new IllegalStateException("vietfhir.claim-xml.signature.trusted-ca: no CA certificate found in " + path);
			}
			return Collections.unmodifiableSet(anchors);
		} catch (IOException | GeneralSecurityException e) {
			throw new IllegalStateException("vietfhir.claim-xml.signature.trusted-ca: cannot read " + path + ": " + e.getMessage(), e);
		}
	}

	private static boolean isCertificateFile(Path file) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return Stream.of(".pem", ".crt", ".cer", ".der", ".p12", ".pfx").anyMatch(name::endsWith);
	}

	/** PEM or DER certificates (one or many in a file), or the certificates of a PKCS#12 key store. */
	private static List<X509Certificate> certificates(Path file, String password) throws IOException, GeneralSecurityException {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		List<X509Certificate> found = new ArrayList<>();
		if (name.endsWith(".p12") || name.endsWith(".pfx")) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(file)) {
				store.load(in, password.isEmpty() ? null : password.toCharArray());
			}
			for (String alias : Collections.list(store.aliases())) {
				if (store.getCertificate(alias) instanceof X509Certificate certificate) {
					found.add(certificate);
				}
			}
			return found;
		}
		try (InputStream in = Files.newInputStream(file)) {
			for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				found.add((X509Certificate) certificate);
			}
		}
		return found;
	}
}
