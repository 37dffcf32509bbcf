package vn.ehealth.fhir.tests.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Patient/$match (issue 19): Vietnamese names compared without diacritics, with typing slips and
 * swapped parts; a CCCD in common is certain; unrelated people are not returned; count and
 * onlyCertainMatches are honoured. Each test draws its own birth date so tests sharing the server
 * never block together.
 */
class PatientMatchTest {

	static final String JSON = "application/fhir+json";
	static final String GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";
	static final IParser PARSER = TestServer.fhirContext().newJsonParser();
	private static final Random RANDOM = new Random();

	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	/** A woman born in 1978 in the old province of Hà Giang (Tuyên Quang since 2025); the CCCD fits. */
	static Patient diem(String birthDate, String cccd) {
		Patient patient = new Patient();
		patient.addIdentifier().setSystem(Fixtures.TEST_ID_SYSTEM).setValue(Fixtures.uniqueValue());
		if (cccd != null) {
			patient.addIdentifier().setSystem(Fixtures.CCCD_SYSTEM).setValue(cccd);
		}
		patient.addName().setFamily("Trần").addGiven("Thị").addGiven("Ngọc").addGiven("Diễm");
		patient.setGender(Enumerations.AdministrativeGender.FEMALE);
		patient.setBirthDateElement(new DateType(birthDate));
		patient.addAddress().setUse(Address.AddressUse.HOME).setCity("Xã Minh Tân").setState("Hà Giang").setCountry("VN");
		return patient;
	}

	static String birthDate1978() {
		return String.format("1978-%02d-%02d", 1 + RANDOM.nextInt(12), 1 + RANDOM.nextInt(28));
	}

	static String created(Patient patient) {
		Http.Response response = http.post("/fhir/Patient", JSON, PARSER.encodeResourceToString(patient));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.resource(Patient.class).getIdElement().toUnqualifiedVersionless().getValue();
	}

	static Bundle match(Patient query, Integer count, Boolean certainOnly) {
		Parameters parameters = new Parameters();
		parameters.addParameter().setName("resource").setResource(query);
		if (count != null) {
			parameters.addParameter("count", new IntegerType(count));
		}
		if (certainOnly != null) {
			parameters.addParameter("onlyCertainMatches", new BooleanType(certainOnly));
		}
		Http.Response response = http.post("/fhir/Patient/$match", JSON, PARSER.encodeResourceToString(parameters));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(Bundle.class);
	}

	static List<String> ids(Bundle bundle) {
		return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
	}

	static String grade(Bundle.BundleEntryComponent entry) {
		return ((CodeType) entry.getSearch().getExtensionByUrl(GRADE).getValue()).getValue();
	}

	static Bundle.BundleEntryComponent entryFor(Bundle bundle, String id) {
		return bundle.getEntry().stream()
				.filter(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue().equals(id))
				.findFirst().orElseThrow(() -> new AssertionError(id + " not among " + ids(bundle)));
	}

	@Test
	void aRecordWithoutDiacriticsUnderTheMergedProvinceIsProbable() {
		String born = birthDate1978();
		String stored = created(diem(born, null));
		Patient query = new Patient();
		query.addName().setFamily("Tran").addGiven("Thi").addGiven("Ngoc").addGiven("Diem");
		query.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType(born));
		// Hà Giang joined Tuyên Quang in 2025
		query.addAddress().setCity("xa Minh Tan").setState("Tuyên Quang");

		Bundle found = match(query, null, null);
		Bundle.BundleEntryComponent entry = entryFor(found, stored);
		assertThat(grade(entry)).isEqualTo("probable");
		assertThat(entry.getSearch().getScore().doubleValue()).isBetween(0.75, 0.99);
		assertThat(found.getEntry().get(0).getSearch().getScore()).isEqualByComparingTo(entry.getSearch().getScore());
	}

	@Test
	void typingSlipsAndSwappedPartsAreProbable() {
		String born = birthDate1978();
		String stored = created(diem(born, null));

		Patient slip = new Patient(); // Telex left "Nguyeenx"-style traces and two letters swapped
		slip.addName().setText("Traanf Thị Ngọc Dieem");
		slip.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType(born));
		assertThat(grade(entryFor(match(slip, null, null), stored))).isEqualTo("probable");

		Patient typo = new Patient();
		typo.addName().setFamily("Trần").addGiven("Thị").addGiven("Ngọc").addGiven("Dễim");
		typo.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType(born));
		assertThat(grade(entryFor(match(typo, null, null), stored))).isEqualTo("probable");

		Patient swapped = new Patient(); // given name written first
		swapped.addName().setFamily("Diễm").addGiven("Thị").addGiven("Ngọc").addGiven("Trần");
		swapped.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType(born));
		swapped.addAddress().setState("Hà Giang");
		assertThat(grade(entryFor(match(swapped, null, null), stored))).isEqualTo("probable");
	}

	@Test
	void aCccdInCommonIsCertainWhateverTheNameAndOnlyCertainMatchesKeepsIt() {
		String born = birthDate1978();
		String cccd = Fixtures.cccd("002178"); // Hà Giang, a woman born in 19xx, '78
		String stored = created(diem(born, cccd));
		String namesake = created(diem(born, null));

		Patient query = new Patient();
		query.addIdentifier().setSystem("http://fhir.hl7.org.vn/core/sid/cccd").setValue(cccd); // VN Core's namespace
		query.addName().setFamily("Trần").addGiven("Thị").addGiven("Ngọc").addGiven("Diễm");
		query.setBirthDateElement(new DateType(born));

		Bundle all = match(query, null, null);
		assertThat(ids(all).get(0)).isEqualTo(stored);
		assertThat(grade(all.getEntry().get(0))).isEqualTo("certain");
		assertThat(all.getEntry().get(0).getSearch().getScore().doubleValue()).isEqualTo(1.0);
		assertThat(ids(all)).contains(namesake);

		Bundle certain = match(query, null, true);
		assertThat(ids(certain)).containsExactly(stored);
		Bundle one = match(query, 1, null);
		assertThat(ids(one)).containsExactly(stored);
	}

	@Test
	void unrelatedPeopleAreNotReturned() {
		String born = birthDate1978();
		String stored = created(diem(born, null));
		Patient other = new Patient();
		other.addName().setFamily("Lê").addGiven("Văn").addGiven("Hùng");
		other.setGender(Enumerations.AdministrativeGender.MALE).setBirthDateElement(new DateType(born));
		assertThat(ids(match(other, null, null))).doesNotContain(stored);

		Patient sister = new Patient(); // same family and birth date, another given name: at most possible
		sister.addName().setFamily("Trần").addGiven("Thị").addGiven("Ngọc").addGiven("Hân");
		sister.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType(born));
		Bundle found = match(sister, null, null);
		found.getEntry().stream()
				.filter(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue().equals(stored))
				.forEach(e -> assertThat(grade(e)).isNotEqualTo("probable").isNotEqualTo("certain"));
	}

	@Test
	void aQueryWithoutAnythingToMatchOnIs400() {
		Patient empty = new Patient();
		empty.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("a@b.vn");
		Parameters parameters = new Parameters();
		parameters.addParameter().setName("resource").setResource(empty);
		Http.Response response = http.post("/fhir/Patient/$match", JSON, PARSER.encodeResourceToString(parameters));
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.diagnostics()).contains("Not enough to match");
	}
}
