package vn.ehealth.fhir.server.claimxml;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * One episode's transaction as it is built: every resource under a {@code urn:uuid} full URL that the
 * others refer to, written by a conditional update on its identifier (so sending the episode again
 * replaces it and an unchanged resource gets no new version), or created only when no record has the
 * identifier yet (practitioners and the facility, which the directory owns).
 */
final class EpisodeBundle {

	private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
	private final boolean episodeOnFile;

	/**
	 * {@code episodeOnFile}: the episode's Encounter is stored already (a correction or a re-send). When
	 * it is not, none of its rows can be: they are only ever written in the same transaction as it.
	 */
	EpisodeBundle(boolean episodeOnFile) {
		this.episodeOnFile = episodeOnFile;
	}

	/**
	 * A record that belongs to the episode alone (a row, the claim): a conditional update on its key when
	 * the episode is on file, else a plain create, which spares the server a search per row on a first
	 * submission (most of them). A copy of the episode stored meanwhile is found under the episode's
	 * lock before anything is written ({@link EpisodeTransactions}).
	 */
	Reference row(Resource resource, Identifier key) {
		return episodeOnFile ? put(resource, key) : add(resource, Bundle.HTTPVerb.POST, resource.fhirType(), null);
	}

	/** PUT {@code Type?identifier=system|value}: replaces the record with that identifier, or creates it. */
	Reference put(Resource resource, Identifier key) {
		return add(resource, Bundle.HTTPVerb.PUT, resource.fhirType() + "?identifier=" + token(key), null);
	}

	/** PUT {@code Type/id}: a record found before (the citizen's Patient, merged with this episode's data). */
	Reference putAt(Resource resource, String typeAndId) {
		return add(resource, Bundle.HTTPVerb.PUT, typeAndId, null);
	}

	/** POST with If-None-Exist: created when no record has the identifier, else the existing one is used unchanged. */
	Reference createIfNone(Resource resource, Identifier key) {
		return add(resource, Bundle.HTTPVerb.POST, resource.fhirType(), "identifier=" + token(key));
	}

	void delete(String typeAndId) {
		bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(typeAndId);
	}

	Bundle bundle() {
		return bundle;
	}

	private Reference add(Resource resource, Bundle.HTTPVerb method, String url, String ifNoneExist) {
		String fullUrl = "urn:uuid:" + UUID.randomUUID();
		Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
		entry.getRequest().setMethod(method).setUrl(url).setIfNoneExist(ifNoneExist);
		return new Reference(fullUrl);
	}

	private static String token(Identifier identifier) {
		return URLEncoder.encode(identifier.getSystem() + "|" + identifier.getValue(), StandardCharsets.UTF_8);
	}
}
