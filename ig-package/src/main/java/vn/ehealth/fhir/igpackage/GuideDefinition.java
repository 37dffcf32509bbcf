package vn.ehealth.fhir.igpackage;

import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.ImplementationGuide.ImplementationGuideDefinitionResourceComponent;
import org.hl7.fhir.r4.model.ImplementationGuide.SPDXLicense;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The guide's own ImplementationGuide resource: package id, canonical, version and FHIR version, and one
 * {@code definition.resource} per resource of the package (tools such as the HL7 validator and IG
 * registries read a package through it). The guide depends on FHIR core only, which {@code fhirVersion}
 * states, so it has no {@code dependsOn}.
 */
final class GuideDefinition {

	static final String ID = PackageBuilder.PACKAGE_ID;
	static final String URL = PackageBuilder.CANONICAL + "/ImplementationGuide/" + ID;

	private GuideDefinition() {}

	static ImplementationGuide build(String version, List<Resource> conformance, List<Resource> examples) {
		ImplementationGuide guide = new ImplementationGuide();
		guide.setId(ID);
		guide.setLanguage("vi");
		guide.setUrl(URL);
		guide.setVersion(version);
		guide.setName("VietFHIRCore");
		guide.setTitle("VietFHIR Core");
		guide.setStatus(PublicationStatus.ACTIVE);
		guide.setPublisher("VietFHIR");
		guide.setDescription(
				"Hồ sơ FHIR R4 cốt lõi của Việt Nam / Vietnam core FHIR R4 profiles, extensions and terminology");
		guide.addJurisdiction(new CodeableConcept(new Coding("urn:iso:std:iso:3166", "VN", "Viet Nam")));
		guide.setPackageId(PackageBuilder.PACKAGE_ID);
		guide.setLicense(SPDXLicense.CC0_1_0);
		guide.addFhirVersion(FHIRVersion._4_0_1);
		for (Resource resource : conformance) {
			entry(guide, resource).setExample(new BooleanType(false));
		}
		for (Resource example : examples) {
			List<CanonicalType> profiles = example.getMeta().getProfile();
			entry(guide, example).setExample(profiles.isEmpty() ? new BooleanType(true) : profiles.get(0).copy());
		}
		return guide;
	}

	private static ImplementationGuideDefinitionResourceComponent entry(ImplementationGuide guide, Resource resource) {
		ImplementationGuideDefinitionResourceComponent entry = guide.getDefinition().addResource()
				.setReference(new Reference(resource.fhirType() + "/" + resource.getIdPart()));
		if (resource instanceof MetadataResource metadata) {
			entry.setName(metadata.hasTitle() ? metadata.getTitle() : metadata.getName());
		} else {
			entry.setName(resource.fhirType() + " " + resource.getIdPart());
		}
		return entry;
	}
}
