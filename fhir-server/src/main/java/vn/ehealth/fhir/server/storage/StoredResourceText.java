package vn.ehealth.fhir.server.storage;

import ca.uhn.fhir.jpa.dao.GZipUtil;
import ca.uhn.fhir.jpa.model.entity.TagTypeEnum;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * How HAPI keeps a resource version in its tables, for the features that read them directly (bulk
 * export, the patient record): the JSON without id and meta in HFJ_RES_VER (as text, bytes or
 * gzip), meta.source split into two columns, and tags, profiles and security labels in HFJ_RES_TAG.
 * The queries reading them are in {@link HapiTables}.
 */
public final class StoredResourceText {

	/** HAPI's TagTypeEnum, stored by ordinal. */
	public static final int TAG = TagTypeEnum.TAG.ordinal();
	public static final int PROFILE = TagTypeEnum.PROFILE.ordinal();
	public static final int SECURITY_LABEL = TagTypeEnum.SECURITY_LABEL.ordinal();

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
			return bytesColumn == null ? null : GZipUtil.decompress(bytesColumn);
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

	/**
	 * Puts back on a parsed version what HAPI keeps beside its JSON: the id with its version, and
	 * meta's versionId, lastUpdated and source. Tags follow with {@link #addTag}, on the meta returned.
	 */
	public static Meta restoreIdAndMeta(Resource resource, String type, String id, long version, Instant updated, String source) {
		resource.setId(new IdType(type, id, Long.toString(version)));
		Meta meta = resource.getMeta();
		meta.setVersionId(Long.toString(version));
		meta.setLastUpdated(Date.from(updated));
		if (source != null) {
			meta.setSource(source);
		}
		return meta;
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
}
