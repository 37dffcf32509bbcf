package vn.ehealth.fhir.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The scoring rules of Patient/$match on small Vietnamese cases (the end-to-end tests run the operation). */
class MatchScoreTest {

	static Patient person(String name, String birthDate, AdministrativeGender sex, String province) {
		Patient patient = new Patient();
		patient.addName().setText(name);
		patient.setBirthDateElement(new DateType(birthDate));
		patient.setGender(sex);
		if (province != null) {
			patient.addAddress().setState(province);
		}
		return patient;
	}

	static MatchScore score(Patient a, Patient b) {
		return MatchScore.of(PersonFeatures.of(a), PersonFeatures.of(b));
	}

	@Test
	void foldingAndTypingTraces() {
		assertThat(VietnameseNames.fold("Nguyễn  Thị Đào")).isEqualTo("nguyen thi dao");
		assertThat(VietnameseNames.canonical("nguyeenx")).isEqualTo(VietnameseNames.canonical("Nguyễn"));
		assertThat(VietnameseNames.canonical("Vy")).isEqualTo(VietnameseNames.canonical("Vi"));
		assertThat(VietnameseNames.similarity("diem", "deim")).isEqualTo(0.9);
		assertThat(VietnameseNames.similarity("an", "anh")).isZero();
	}

	@Test
	void theMergedProvincesAreOne() {
		assertThat(ProvinceNames.province2025("Tỉnh Hà Giang")).isEqualTo(ProvinceNames.province2025("Tuyên Quang"));
		assertThat(ProvinceNames.province2025("TP. Hồ Chí Minh")).isEqualTo("79");
		assertThat(ProvinceNames.province2025("Bình Dương")).isEqualTo("79");
	}

	@Test
	void gradesFollowTheEvidence() {
		Patient stored = person("Lê Thị Thu Hà", "1990-05-04", AdministrativeGender.FEMALE, "Hà Nội");
		assertThat(score(stored, person("Le Thi Thu Ha", "1990-05-04", AdministrativeGender.FEMALE, null)).grade()).isEqualTo("probable");
		assertThat(score(stored, person("Hà Thị Thu Lê", "1990-05-04", AdministrativeGender.FEMALE, "Hà Nội")).grade()).isEqualTo("probable");
		assertThat(score(stored, person("Lê Thị Thu Hà", "1990", AdministrativeGender.FEMALE, null)).grade()).isEqualTo("possible");
		// day and month swapped, a common slip of data entry
		assertThat(score(stored, person("Lê Thị Thu Hà", "1990-04-05", AdministrativeGender.FEMALE, "Hà Nội")).grade()).isEqualTo("probable");
		assertThat(score(stored, person("Lê Thị Thu Hằng", "1990-05-04", AdministrativeGender.FEMALE, "Hà Nội")).score()).isLessThan(MatchScore.PROBABLE);
		assertThat(score(stored, person("Lê Thị Thu Hà", "1971-05-04", AdministrativeGender.FEMALE, "Hà Nội")).grade()).isEqualTo("certainly-not");
	}

	@Test
	void identifiersDecide() {
		Patient a = person("Lê Thị Thu Hà", "1990-05-04", AdministrativeGender.FEMALE, null);
		Patient b = person("Lê Thị Thu Hà", "1990-05-04", AdministrativeGender.FEMALE, null);
		a.addIdentifier().setSystem("http://fhir.ehealth.gov.vn/core/sid/national_id").setValue("001190012345");
		b.addIdentifier().setSystem("http://fhir.hl7.org.vn/core/sid/cccd").setValue("001190012345");
		assertThat(score(a, b).grade()).isEqualTo("certain");

		Patient c = person("Lê Thị Thu Hà", "1990-05-04", AdministrativeGender.FEMALE, null);
		c.addIdentifier().setSystem("http://fhir.ehealth.gov.vn/core/sid/national_id").setValue("001190054321");
		assertThat(score(a, c).grade()).as("two CCCDs are two citizens").isEqualTo("certainly-not");

		Patient cardOld = person("Lê Thị Thu Hà", "1990-05-04", AdministrativeGender.FEMALE, null);
		Patient cardNew = person("Le Ha", "1990", AdministrativeGender.FEMALE, null);
		cardOld.addIdentifier().setSystem("http://fhir.ehealth.gov.vn/core/sid/insurance_number").setValue("GD4010123456789");
		cardNew.addIdentifier().setSystem("http://fhir.hl7.org.vn/core/sid/bhyt").setValue("HT3010123456789");
		assertThat(score(cardOld, cardNew).grade()).as("a new card, the same BHXH number").isEqualTo("certain");
	}
}
