package vn.ehealth.fhir.server.claimxml;

import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * What the row mappings of one episode share: the facility, the episode key, and the references of
 * the records the rows point at.
 *
 * @param practitioners practising licence number → reference of its Practitioner
 * @param roles practising licence number → reference of the practitioner's role at the facility
 */
record EpisodeContext(
		String facility,
		Submission.Episode episode,
		Reference patient,
		Reference encounter,
		Reference organization,
		Map<String, Reference> practitioners,
		Map<String, Reference> roles) {

	String system() {
		return ClaimCodes.episodeSystem(facility);
	}

	/** The identifier of a row: {@code MA_LK/XML2/3} in the facility's episode system. */
	Identifier rowIdentifier(String suffix) {
		return ClaimCodes.identifier(system(), episode.maLk() + "/" + suffix);
	}

	Identifier episodeIdentifier() {
		return ClaimCodes.identifier(system(), episode.maLk());
	}

	/** The Practitioner of the first licence number of a field (YHCT rows may list several, ';'-separated). */
	Reference practitioner(String licences) {
		String first = Licences.first(licences);
		return first == null ? null : practitioners.get(first);
	}

	Reference role(String licences) {
		String first = Licences.first(licences);
		return first == null ? null : roles.get(first);
	}
}
