package vn.ehealth.fhir.server.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.junit.jupiter.api.Test;

class DisclosurePagesTest {

	@Test
	void daysRunOfThreeOrMoreAreARange() {
		assertThat(DisclosurePages.days(List.of("mon", "tue", "wed", "thu", "fri"))).isEqualTo("T2–T6");
		assertThat(DisclosurePages.days(List.of("mon", "wed", "fri"))).isEqualTo("T2, T4, T6");
		assertThat(DisclosurePages.days(List.of("sat", "sun"))).isEqualTo("T7, CN");
		assertThat(DisclosurePages.days(List.of("sun", "mon", "tue", "wed"))).isEqualTo("T2–T4, CN");
	}

	@Test
	void hoursNameTheDaysAndTimesAndA24HourDuty() {
		PractitionerRole role = new PractitionerRole();
		role.addAvailableTime().addDaysOfWeek(PractitionerRole.DaysOfWeek.MON).addDaysOfWeek(PractitionerRole.DaysOfWeek.TUE)
				.addDaysOfWeek(PractitionerRole.DaysOfWeek.WED).setAvailableStartTime("07:00:00").setAvailableEndTime("17:00:00");
		role.addAvailableTime().addDaysOfWeek(PractitionerRole.DaysOfWeek.SAT).setAllDay(true);
		assertThat(DisclosurePages.hours(role)).isEqualTo("T2–T4 07:00–17:00; T7 cả ngày, trực 24 giờ");
	}
}
