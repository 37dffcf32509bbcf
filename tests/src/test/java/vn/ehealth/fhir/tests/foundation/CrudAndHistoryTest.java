package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.TestServer;

class CrudAndHistoryTest {

	private static IGenericClient client;

	@BeforeAll
	static void server() {
		client = TestServer.shared().client();
	}

	@Test
	void createReadUpdatePatchHistoryDelete() {
		String idValue = Fixtures.uniqueValue();
		MethodOutcome created = client.create()
				.resource(Fixtures.patient("Trần", "Thị Bích", idValue))
				.execute();
		assertThat(created.getCreated()).isTrue();
		IdType id = (IdType) created.getId().toUnqualifiedVersionless();

		Patient read = client.read().resource(Patient.class).withId(id).execute();
		assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Trần");
		assertThat(read.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Thị Bích");
		assertThat(read.getMeta().getVersionId()).isEqualTo("1");

		read.getNameFirstRep().setFamily("Lê");
		MethodOutcome updated = client.update().resource(read).execute();
		assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

		String patch = "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]";
		MethodOutcome patched = client.patch().withBody(patch).withId(id).execute();
		assertThat(patched.getId().getVersionIdPart()).isEqualTo("3");

		Patient current = client.read().resource(Patient.class).withId(id).execute();
		assertThat(current.getGender().toCode()).isEqualTo("male");
		assertThat(current.getNameFirstRep().getFamily()).isEqualTo("Lê");

		Patient version1 = client.read().resource(Patient.class).withId(id.withVersion("1")).execute();
		assertThat(version1.getNameFirstRep().getFamily()).isEqualTo("Trần");

		Bundle history = client.history().onInstance(id).returnBundle(Bundle.class).execute();
		assertThat(history.getEntry()).hasSize(3);

		client.delete().resourceById(id).execute();
		assertThatThrownBy(() -> client.read().resource(Patient.class).withId(id).execute())
				.isInstanceOf(ResourceGoneException.class);
		Bundle historyAfterDelete = client.history().onInstance(id).returnBundle(Bundle.class).execute();
		assertThat(historyAfterDelete.getEntry()).hasSize(4);
	}

	@Test
	void conditionalCreateReturnsTheExistingResource() {
		String idValue = Fixtures.uniqueValue();
		String condition = "identifier=" + Fixtures.TEST_ID_SYSTEM + "|" + idValue;
		MethodOutcome first = client.create()
				.resource(Fixtures.patient("Phạm", "Minh Đức", idValue))
				.conditionalByUrl("Patient?" + condition)
				.execute();
		MethodOutcome second = client.create()
				.resource(Fixtures.patient("Phạm", "Minh Đức", idValue))
				.conditionalByUrl("Patient?" + condition)
				.execute();
		assertThat(first.getCreated()).isTrue();
		assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
		assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
		assertThat(Fixtures.countPatients(client, idValue)).isEqualTo(1);
	}

	@Test
	void conditionalUpdateCreatesThenUpdatesAndConditionalDeleteRemoves() {
		String idValue = Fixtures.uniqueValue();
		String url = "Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "|" + idValue;
		MethodOutcome created = client.update()
				.resource(Fixtures.patient("Hoàng", "Gia Bảo", idValue))
				.conditionalByUrl(url)
				.execute();
		assertThat(created.getCreated()).isTrue();

		Patient changed = Fixtures.patient("Hoàng", "Gia Huy", idValue);
		MethodOutcome updated = client.update().resource(changed).conditionalByUrl(url).execute();
		assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
		assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

		client.delete().resourceConditionalByUrl(url).execute();
		assertThat(Fixtures.countPatients(client, idValue)).isZero();
	}

	@Test
	void conditionalCreateMatchingSeveralResourcesIsRefused() {
		String shared = Fixtures.uniqueValue();
		client.create().resource(Fixtures.patient("Vũ", "An", shared)).execute();
		client.create().resource(Fixtures.patient("Vũ", "Bình", shared)).execute();
		assertThatThrownBy(() -> client.create()
						.resource(Fixtures.patient("Vũ", "Cường", shared))
						.conditionalByUrl("Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "|" + shared)
						.execute())
				.isInstanceOf(PreconditionFailedException.class);
		assertThat(Fixtures.countPatients(client, shared)).isEqualTo(2);
	}
}
