package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * The profiles, code systems and value sets of the loaded guide packages, held in memory at the
 * front of HAPI's validation chain: validation needs no database round trip and knows the rules
 * from the first request, whatever the state of the (deferred) terminology tables.
 */
public class GuideValidationSupport extends PrePopulatedValidationSupport {

	private static final List<String> TYPES = List.of("StructureDefinition", "CodeSystem", "ValueSet");

	/** Resource type → the guide's profile for it (only VietFHIR Core's own profiles, not extra packages'). */
	private final Map<String, String> profileByType = new LinkedHashMap<>();
	private final StructureDefinition transactionEntries;

	GuideValidationSupport(FhirContext fhirContext, GuidePackage core, List<GuidePackage> extras) {
		super(fhirContext);
		IParser parser = fhirContext.newJsonParser();
		load(parser, core, true);
		extras.forEach(extra -> load(parser, extra, false));
		transactionEntries = TransactionEntriesProfile.of(fhirContext, profileByType);
	}

	/**
	 * Also the transaction chunks' profile, by its URL only: it is not in the lists of all profiles, so
	 * the CapabilityStatement does not announce it as a supported profile.
	 */
	@Override
	public IBaseResource fetchStructureDefinition(String url) {
		return TransactionEntriesProfile.URL.equals(url) ? transactionEntries : super.fetchStructureDefinition(url);
	}

	private void load(IParser parser, GuidePackage guide, boolean isCore) {
		NpmPackage npm = guide.npm();
		try {
			for (String file : npm.listResources(TYPES.toArray(String[]::new))) {
				try (InputStream in = npm.loadResource(file)) {
					IBaseResource resource = parser.parseResource(in);
					addResource(resource);
					if (isCore && resource instanceof StructureDefinition profile) {
						indexProfile(profile);
					}
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot read FHIR package " + guide.source(), e);
		}
	}

	private void indexProfile(StructureDefinition profile) {
		boolean constrainsAResource = profile.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
				&& profile.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT
				// a Bundle profile describes one kind of document, not every Bundle stored
				&& !"Bundle".equals(profile.getType());
		if (constrainsAResource) {
			profileByType.putIfAbsent(profile.getType(), profile.getUrl());
		}
	}

	Map<String, String> profileByType() {
		return profileByType;
	}
}
