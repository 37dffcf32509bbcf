package vn.ehealth.fhir.server.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hl7.fhir.utilities.npm.NpmPackage;

/** One FHIR package as bytes (a .tgz) and its parsed form: VietFHIR Core from the classpath, or an operator's file. */
public record GuidePackage(String source, byte[] tgz, NpmPackage npm) {

	/** Where ig-package puts the built guide on the classpath. */
	static final String CORE_CLASSPATH = "vietfhir/package/vietfhir.core.tgz";

	static GuidePackage core() {
		try (InputStream in = GuidePackage.class.getClassLoader().getResourceAsStream(CORE_CLASSPATH)) {
			if (in == null) {
				throw new IllegalStateException(CORE_CLASSPATH + " is not on the classpath: is ig-package built?");
			}
			return of("classpath:" + CORE_CLASSPATH, in.readAllBytes());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static GuidePackage file(Path path) {
		try {
			return of(path.toString(), Files.readAllBytes(path));
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot read FHIR package " + path, e);
		}
	}

	private static GuidePackage of(String source, byte[] tgz) throws IOException {
		return new GuidePackage(source, tgz, NpmPackage.fromPackage(new ByteArrayInputStream(tgz)));
	}

	public String id() {
		return npm.name();
	}

	public String version() {
		return npm.version();
	}

	public String sha256() {
		return sha256(tgz);
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
