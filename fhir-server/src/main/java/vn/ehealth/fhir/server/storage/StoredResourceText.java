package vn.ehealth.fhir.server.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Meta;

/**
 * How HAPI keeps a resource version in its tables, for the features that read them directly (bulk
 * export, the patient record): the JSON without id and meta in HFJ_RES_VER (as text, bytes or
 * gzip), meta.source split into two columns, and tags, profiles and security labels in HFJ_RES_TAG.
 */
public final class StoredResourceText {

	/** HAPI's TagTypeEnum, stored by ordinal. */
	public static final int TAG = 0;
	public static final int PROFILE = 1;
	public static final int SECURITY_LABEL = 2;

	private StoredResourceText() {}

	/**
	 * The stored JSON of a version, or null when the row holds none (DEL: a deleted version; ESR:
	 * kept outside the database).
	 */
	public static String json(String encoding, String textColumn, byte[] bytesColumn) {
		if ("JSON".equals(encoding)) {
			if (textColumn != null) {
				return textColumn;
			}
			return bytesColumn == null ? null : new String(bytesColumn, StandardCharsets.UTF_8);
		}
		if ("JSONC".equals(encoding)) {
			return gunzip(bytesColumn);
		}
		return null;
	}

	/** meta.source as HAPI gave it: the source URI and the request id after '#'. */
	public static String source(String uri, String requestId) {
		if (uri == null && requestId == null) {
			return null;
		}
		return (uri == null ? "" : uri) + (requestId == null ? "" : "#" + requestId);
	}

	/** Puts one HFJ_TAG_DEF row into meta as a profile, a security label or a tag. */
	public static void addTag(
			Meta meta, int kind, String system, String code, String display, String version, Boolean userSelected) {
		if (kind == PROFILE) {
			meta.addProfile(code);
			return;
		}
		Coding coding = new Coding(system, code, display);
		if (version != null) {
			coding.setVersion(version);
		}
		if (userSelected != null) {
			coding.setUserSelected(userSelected);
		}
		if (kind == SECURITY_LABEL) {
			meta.addSecurity(coding);
		} else {
			meta.addTag(coding);
		}
	}

	private static String gunzip(byte[] bytes) {
		if (bytes == null) {
			return null;
		}
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
