package vn.ehealth.fhir.profiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.model.CanonicalResource;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.utils.validation.IResourceValidator;
import org.hl7.fhir.r5.utils.validation.IValidatorResourceFetcher;
import vn.ehealth.fhir.profiles.GuideFiles.GuideFile;

/**
 * Resolves a reference such as {@code Patient/patient-cccd-male-1985-hanoi} to the example of that
 * type and id, so the validator checks that every reference between examples lands on a resource
 * of an allowed type that conforms to the target profile.
 */
final class ExampleReferences implements IValidatorResourceFetcher {

	private final Map<String, byte[]> jsonByTypeAndId = new HashMap<>();

	ExampleReferences(List<GuideFile> examples) {
		for (GuideFile example : examples) {
			String key = example.resource().fhirType() + "/" + example.resource().getIdElement().getIdPart();
			jsonByTypeAndId.put(key, example.json().getBytes(StandardCharsets.UTF_8));
		}
	}

	@Override
	public Element fetch(IResourceValidator validator, Object appContext, String url) throws IOException {
		byte[] json = jsonByTypeAndId.get(typeAndId(url));
		if (json == null) {
			return null;
		}
		return Manager.parseSingle(validator.getContext(), new ByteArrayInputStream(json), Manager.FhirFormat.JSON);
	}

	private static String typeAndId(String url) {
		String[] parts = url.split("/");
		return parts.length < 2 ? url : parts[parts.length - 2] + "/" + parts[parts.length - 1];
	}

	@Override
	public boolean resolveURL(IResourceValidator validator, Object appContext, String path, String url, String type,
			boolean canonical, List<CanonicalType> targets) {
		return true;
	}

	@Override
	public byte[] fetchRaw(IResourceValidator validator, String url) {
		return jsonByTypeAndId.get(typeAndId(url));
	}

	@Override
	public IValidatorResourceFetcher setLocale(Locale locale) {
		return this;
	}

	@Override
	public CanonicalResource fetchCanonicalResource(IResourceValidator validator, Object appContext, String url) {
		return null;
	}

	@Override
	public boolean fetchesCanonicalResource(IResourceValidator validator, String url) {
		return false;
	}

	@Override
	public Set<ResourceVersionInformation> fetchCanonicalResourceVersions(IResourceValidator validator,
			Object appContext, String url) {
		return Set.of();
	}
}
