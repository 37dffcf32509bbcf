package vn.ehealth.fhir.tests.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * CAs and facility signing certificates made on the spot with Bouncy Castle (nothing downloaded),
 * for signed claim envelopes. The suite's servers trust {@link #suiteCa()} (TestServer).
 */
public final class SigningCertificates {

	/** A key and its certificate (the CA's certificate for a CA). */
	public record Identity(KeyPair keys, X509Certificate certificate) {}

	private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
	private static Identity suiteCa;

	private SigningCertificates() {}

	/** The CA the suite's servers trust for facility signatures. */
	public static synchronized Identity suiteCa() {
		if (suiteCa == null) {
			suiteCa = ca("CN=VietFHIR Test CA, O=Bo Y te, C=VN");
		}
		return suiteCa;
	}

	/** A self-signed CA, valid for a year from yesterday. */
	public static Identity ca(String subject) {
		KeyPair keys = rsa();
		Instant now = Instant.now();
		return new Identity(keys, issue(subject, keys, new X500Name(subject), keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
				true, KeyUsage.keyCertSign | KeyUsage.cRLSign));
	}

	/** A facility's signing certificate from the CA, valid between the two instants. */
	public static Identity facility(Identity ca, String facilityCode, Instant from, Instant to, int keyUsage) {
		KeyPair keys = rsa();
		String subject = "CN=Benh vien " + facilityCode + ", OU=" + facilityCode + ", O=Co so KCB, C=VN";
		return new Identity(keys, issue(subject, keys, X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.keys(), from, to,
				false, keyUsage));
	}

	/** A facility's signing certificate from the CA, valid now (digitalSignature, nonRepudiation). */
	public static Identity facility(Identity ca, String facilityCode) {
		Instant now = Instant.now();
		return facility(ca, facilityCode, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
				KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
	}

	/** The CA's certificate as a PEM file in the folder. */
	public static Path writePem(Path folder, String name, Identity ca) {
		try {
			StringWriter pem = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
				writer.writeObject(ca.certificate());
			}
			Path file = folder.resolve(name + ".pem");
			Files.writeString(file, pem.toString());
			return file;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static X509Certificate issue(String subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys, Instant from,
			Instant to, boolean isCa, int keyUsage) {
		try {
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
					BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), new X500Name(subject),
					subjectKeys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
			builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
			return new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
		} catch (GeneralSecurityException | OperatorCreationException | IOException e) {
			throw new IllegalStateException(e);
		}
	}

	private static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		} catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
