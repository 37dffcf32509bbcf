package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Measure;
import vn.ehealth.fhir.igpackage.GuideContent;

/**
 * The indicators' Measure resources, as the guide package publishes them (ig-package's
 * {@code vietfhir/measures/}), stored under their ids at start-up so {@code GET /fhir/Measure/<id>}
 * answers; written again only when the guide's copy differs from the stored one.
 */
final class PublishedMeasures {

	private final FhirContext fhirContext;
	private final IFhirResourceDao<Measure> measures;

	PublishedMeasures(FhirContext fhirContext, IFhirResourceDao<Measure> measures) {
		this.fhirContext = fhirContext;
		this.measures = measures;
	}

	void store() {
		for (Indicator indicator : Indicator.values()) {
			Measure published = read("/" + GuideContent.MEASURES_FOLDER + "/Measure-" + indicator.id + ".json");
			SystemRequestDetails system = new SystemRequestDetails();
			Measure stored;
			try {
				stored = measures.read(published.getIdElement().toUnqualifiedVersionless(), system);
			} catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
					| ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
				stored = null;
			}
			if (stored == null || !stored.copy().setMeta(null).equalsDeep(published.copy().setMeta(null))) {
				measures.update(published, system);
			}
		}
	}

	private Measure read(String path) {
		try (InputStream in = PublishedMeasures.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("The guide package's " + path + " is not on the classpath");
			}
			return fhirContext.newJsonParser().parseResource(Measure.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
