package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.TestServer;

/** Records and the full-text index survive a server restart on the same data directory. */
class RestartPersistenceTest {

	@Test
	void dataSurvivesRestart() {
		TestServer before = TestServer.shared();
		Patient patient = Fixtures.patient("Trịnh", "Công Sơn", Fixtures.uniqueValue());
		patient.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Nhạc sĩ, theo dõi sốt xuất huyết</div>");
		IdType id = (IdType) before.client().create().resource(patient).execute().getId().toUnqualifiedVersionless();

		TestServer after = TestServer.restartShared();

		Patient read = after.client().read().resource(Patient.class).withId(id).execute();
		assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Trịnh");
		assertThat(read.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Công Sơn");
		Bundle found = after.http().get("/fhir/Patient?_text=xu%E1%BA%A5t%20huy%E1%BA%BFt", "application/fhir+json")
				.resource(Bundle.class);
		assertThat(found.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).contains(id.getIdPart());
	}
}
