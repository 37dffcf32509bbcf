package vn.ehealth.fhir.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.HealthInsuranceNumber;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * People who look like Vietnam's: provinces weighted by population, ethnic groups by province
 * (Kinh majority, the others where they live), the 2019 census age pyramid, names by people, sex
 * and generation, and identifiers that pass the guide's rules: CCCD consistent with birth province,
 * sex and birth year; BHYT in its three forms; occupation codes of the claim data.
 */
public final class Population {

	/** Card codes, BHXH numbers and CCCDs among the insured (Decree 188/2025: all three are met). */
	private static final double INSURED = 0.93;

	private final long seed;
	private final LocalDate asOf;

	public Population(long seed, LocalDate asOf) {
		this.seed = seed;
		this.asOf = asOf;
	}

	/** Person number {@code index} of the population (same seed and index, same person). */
	Person person(int index) {
		Rng rng = new Rng(seed, "person", index);
		Provinces.Province residence = rng.pick(Provinces.BY_POPULATION);
		Provinces.Province birthProvince = residence;
		// people move to the cities and the industrial south-east; most are registered where they were born
		if (MIGRANT_DESTINATIONS.contains(residence.code()) && rng.chance(0.35)) {
			birthProvince = rng.pick(Provinces.BY_POPULATION);
		} else if (rng.chance(0.04)) {
			birthProvince = rng.pick(Provinces.BY_POPULATION);
		}
		boolean male = rng.chance(0.498);
		LocalDate birthDate = birthDate(rng);
		return build(rng, index, male, birthDate, birthProvince, residence, null);
	}

	/** An adult of working age living in {@code residence}, e.g. a practitioner, with a given occupation. */
	Person adult(Rng rng, int index, Provinces.Province residence, int minAge, int maxAge, String occupation) {
		boolean male = rng.chance(0.45);
		LocalDate birthDate = asOf.minusYears(rng.between(minAge, maxAge)).minusDays(rng.between(0, 364));
		Provinces.Province birthProvince = rng.chance(0.8) ? residence : rng.pick(Provinces.BY_POPULATION);
		return build(rng, index, male, birthDate, birthProvince, residence, occupation);
	}

	private Person build(Rng rng, int index, boolean male, LocalDate birthDate,
			Provinces.Province birthProvince, Provinces.Province residence, String occupation) {
		String ethnicity = rng.pick(ETHNICITY.getOrDefault(birthProvince.code(), DEFAULT_ETHNICITY));
		NameScheme scheme = NameScheme.of(ethnicity, birthProvince.region());
		int generation = birthDate.getYear() < 1970 ? 0 : birthDate.getYear() < 1995 ? 1 : 2;
		String family = scheme.family(rng);
		String middle = rng.pick(male ? scheme.maleMiddle[generation] : scheme.femaleMiddle[generation]);
		if (middle.equals(family)) {
			middle = male ? "Văn" : "Thị";
		}
		String given = rng.pick(male ? scheme.maleGiven[generation] : scheme.femaleGiven[generation]);
		String cccd = cccd(index, male, birthDate.getYear(), birthProvince.code());
		int age = java.time.Period.between(birthDate, asOf).getYears();
		// the old 9-digit identity card: a first digit by region of issue, then eight
		String cmnd = age >= 30 && rng.chance(0.15)
				? (birthProvince.region().south() ? "3" : "1") + String.format("%08d", unique(index, 8, 3))
				: null;
		String job = occupation != null ? occupation : occupation(rng, age, residence);
		List<Person.Insurance> insurance = insurance(rng, index, age, male, birthDate, ethnicity, job, residence, cccd);
		String phone = age >= 16 && rng.chance(0.85)
				? "0" + rng.pick("3", "5", "7", "8", "9") + String.format("%08d", unique(index, 8, 5))
				: null;
		boolean urban = URBAN.contains(residence.code()) ? rng.chance(0.8) : rng.chance(0.25);
		String commune = (urban ? "Phường " : "Xã ") + rng.pick(COMMUNE_NAMES);
		String line = urban
				? "Số " + rng.between(1, 350) + ", đường " + rng.pick(STREETS)
				: ruralPlace(residence.region()) + " " + rng.pick(HAMLET_NAMES.get(residence.region()));
		return new Person(index, male, birthDate, ethnicity, family, middle, given, scheme.givenFirst,
				birthProvince, residence, cccd, cmnd, insurance, job, phone, line, commune);
	}

	/**
	 * The last six digits of a synthetic person's CCCD stay below this; those from here up are left
	 * to CCCDs tests write by hand, so that no hand-made CCCD is also a synthetic person's (one
	 * Patient per CCCD: the second would be refused). Benchmarks number their extra patients from
	 * 900,000: below this too, so they get CCCDs of their own.
	 */
	public static final int CCCD_SERIALS = 950_000;

	/**
	 * Số định danh cá nhân (Circular 59/2021/TT-BCA Art. 4): "0" + birth province, century and sex,
	 * two digits of the birth year, then six digits; those six are a bijection of the person's
	 * number so no two people of one data set share a CCCD.
	 */
	String cccd(int index, boolean male, int birthYear, String provinceCode) {
		int centuryAndSex = (birthYear / 100 - 19) * 2 + (male ? 0 : 1);
		return "0" + provinceCode + centuryAndSex + String.format("%02d", birthYear % 100)
				+ String.format("%06d", cccdSerial(index));
	}

	/**
	 * {@link #unique} of the person's number walked into [0, {@link #CCCD_SERIALS}): applying the
	 * permutation again until the value falls in that range is still a bijection of it ("cycle
	 * walking"), so person numbers below {@link #CCCD_SERIALS} never share a serial. A number from
	 * there up may share one with another (its cycle may have no value in range: then it wraps).
	 */
	private long cccdSerial(int index) {
		long start = unique(index, 6, 1);
		long serial = start;
		while (serial >= CCCD_SERIALS) {
			serial = unique(serial, 6, 1);
			if (serial == start) {
				return start % CCCD_SERIALS;
			}
		}
		return serial;
	}

	/**
	 * A number of {@code digits} digits (even) for {@code index}: a four-round Feistel permutation of
	 * [0, 10^digits) keyed by the seed and a salt, so different indexes never share a number and
	 * neighbouring indexes get unrelated ones.
	 */
	long unique(long index, int digits, int salt) {
		long half = (long) Math.pow(10, digits / 2);
		long left = Math.floorMod(index, half * half) / half;
		long right = Math.floorMod(index, half);
		for (int round = 0; round < 4; round++) {
			long mixed = Math.floorMod(Rng.mix(seed * 1_000_003L + salt * 31L + round * 7L + right * 0x9E3779B9L), half);
			long next = Math.floorMod(left + mixed, half);
			left = right;
			right = next;
		}
		return left * half + right;
	}

	/** The 2019 census pyramid (five-year groups, per cent), ages counted back from the as-of date. */
	private LocalDate birthDate(Rng rng) {
		int group = rng.pick(AGE_GROUPS);
		int age = group == 85 ? 85 + Math.min(rng.poisson(4), 19) : group + rng.between(0, 4);
		return asOf.minusYears(age).minusDays(rng.between(0, 364));
	}

	private static String occupation(Rng rng, int age, Provinces.Province residence) {
		if (age < 18 || (age <= 22 && rng.chance(0.5)) || (age >= 60 && rng.chance(0.6))) {
			return "00000";
		}
		boolean urban = URBAN.contains(residence.code()) ? rng.chance(0.85) : rng.chance(0.25);
		return rng.pick(urban ? URBAN_OCCUPATIONS : RURAL_OCCUPATIONS);
	}

	/**
	 * BHYT numbers: the 15-character card code (beneficiary group by age, work and circumstances,
	 * benefit level by group, residence province, BHXH number), the 10-digit BHXH number alone, or the
	 * CCCD shown instead of a card. Some card-code holders also carry the bare BHXH number.
	 */
	private List<Person.Insurance> insurance(Rng rng, int index, int age, boolean male, LocalDate birthDate,
			String ethnicity, String occupation, Provinces.Province residence, String cccd) {
		List<Person.Insurance> numbers = new ArrayList<>();
		if (!rng.chance(age < 6 ? 0.99 : INSURED)) {
			return numbers;
		}
		String group = beneficiaryGroup(rng, age, male, birthDate, ethnicity, occupation, residence);
		String bhxh = residence.code() + String.format("%08d", unique(index, 8, 2));
		LocalDate from = LocalDate.of(asOf.getYear(), 1, 1);
		LocalDate to = LocalDate.of(asOf.getYear(), 12, 31);
		if (group.equals("TE")) {
			// cards for under-sixes run to the month before the sixth birthday
			to = birthDate.plusYears(6).withDayOfMonth(1).minusDays(1);
		}
		double form = rng.uniform(0, 1);
		if (form < 0.45) {
			String cardCode = group + BENEFIT_LEVEL.get(group) + residence.code() + bhxh;
			numbers.add(new Person.Insurance(cardCode, HealthInsuranceNumber.Form.CARD_CODE, group, from, to));
			if (rng.chance(0.2)) {
				numbers.add(new Person.Insurance(bhxh, HealthInsuranceNumber.Form.BHXH_NUMBER, group, null, null));
			}
		} else if (form < 0.8) {
			numbers.add(new Person.Insurance(bhxh, HealthInsuranceNumber.Form.BHXH_NUMBER, group, from, to));
		} else {
			numbers.add(new Person.Insurance(cccd, HealthInsuranceNumber.Form.CCCD, group, null, null));
		}
		return numbers;
	}

	private static String beneficiaryGroup(Rng rng, int age, boolean male, LocalDate birthDate, String ethnicity,
			String occupation, Provinces.Province residence) {
		if (age < 6) {
			return "TE";
		}
		if (age < 18) {
			return rng.chance(0.9) ? "HS" : "GD";
		}
		switch (occupation) {
			case "01": return "QN";
			case "02": return "CA";
			case "03": return "CY";
			default: break;
		}
		if (age <= 22 && occupation.equals("00000") && rng.chance(0.8)) {
			return "SV";
		}
		boolean minority = !ethnicity.equals("01") && !ethnicity.equals("04") && !ethnicity.equals("99");
		// DT: minorities living where life is hard, the uplands and highlands above all
		boolean hardArea = residence.region() == Provinces.Region.NORTHERN_UPLANDS
				|| residence.region() == Provinces.Region.CENTRAL_HIGHLANDS
				|| (MOUNTAIN_DISTRICTS.contains(residence.code()) && rng.chance(0.5));
		if (minority && hardArea && rng.chance(0.6)) {
			return rng.chance(0.8) ? "DT" : "DK";
		}
		if (male && birthDate.getYear() < 1958 && rng.chance(0.2)) {
			return rng.pick("CB", "CB", "KC", "CK", "CC");
		}
		if (age >= 60 && rng.chance(0.45)) {
			return "HT";
		}
		if (age >= 80 && rng.chance(0.5)) {
			return "BT";
		}
		if (rng.chance(0.06)) {
			return rng.pick("HN", "HN", "CN", "CN", "CN");
		}
		char major = occupation.charAt(0);
		if (occupation.length() == 2 && major >= '1' && major <= '4') {
			return rng.chance(0.45) ? "HC" : "DN";
		}
		if (occupation.length() == 2 && (major == '7' || major == '8' || occupation.equals("93"))) {
			return rng.chance(0.7) ? "DN" : rng.chance(0.2) ? "HX" : "GD";
		}
		if (occupation.startsWith("6") || occupation.equals("92")) {
			return rng.chance(0.8) ? "GD" : "GB";
		}
		return rng.chance(0.4) ? "DN" : "GD";
	}

	/** The Patient resource of a person: the profile's identifiers, name, ethnicity, occupation, address. */
	static Patient patient(Person person, String id, LocalDate asOf) {
		Patient patient = new Patient();
		patient.setId(id);
		patient.getMeta().addProfile(Canonicals.PATIENT);
		patient.addExtension(Canonicals.EXT_ETHNICITY, coding(VnCodeSystem.ETHNICITY, person.ethnicity()));
		patient.addExtension(Canonicals.EXT_OCCUPATION, coding(VnCodeSystem.OCCUPATION, person.occupation()));
		patient.addIdentifier(new Identifier()
				.setUse(Identifier.IdentifierUse.OFFICIAL)
				.setSystem(IdentifierSystems.CCCD)
				.setValue(person.cccd())
				.setType(new CodeableConcept().setText("Số định danh cá nhân (CCCD)")));
		if (person.cmnd() != null) {
			patient.addIdentifier(new Identifier()
					.setUse(Identifier.IdentifierUse.OLD)
					.setSystem(IdentifierSystems.CMND)
					.setValue(person.cmnd())
					.setType(new CodeableConcept().setText("Chứng minh nhân dân (CMND)")));
		}
		for (Person.Insurance bhyt : person.insurance()) {
			Identifier identifier = new Identifier()
					.setSystem(IdentifierSystems.BHYT)
					.setValue(bhyt.value())
					.setType(new CodeableConcept().setText(switch (bhyt.form()) {
						case CARD_CODE -> "Mã thẻ BHYT";
						case BHXH_NUMBER -> "Mã số BHXH";
						case CCCD -> "Số định danh cá nhân dùng thay thẻ BHYT";
					}));
			if (bhyt.validFrom() != null) {
				identifier.setPeriod(new Period()
						.setStartElement(new org.hl7.fhir.r4.model.DateTimeType(bhyt.validFrom().toString()))
						.setEndElement(new org.hl7.fhir.r4.model.DateTimeType(bhyt.validTo().toString())));
			}
			identifier.getAssigner().setDisplay("Bảo hiểm xã hội Việt Nam");
			patient.addIdentifier(identifier);
		}
		patient.setActive(true);
		patient.addName(humanName(person));
		if (person.phone() != null) {
			patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
					.setUse(ContactPoint.ContactPointUse.MOBILE).setValue(person.phone());
		}
		patient.setGender(person.male() ? AdministrativeGender.MALE : AdministrativeGender.FEMALE);
		patient.setBirthDateElement(new DateType(person.birthDate().toString()));
		patient.addAddress(address(person));
		int age = person.ageOn(asOf);
		String marital = age < 20 ? "U" : age < 28 ? "U" : age < 70 ? "M" : "W";
		if (age >= 28 && age < 70 && (person.index() % 9 == 0)) {
			marital = "D";
		}
		patient.setMaritalStatus(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", marital, MARITAL.get(marital))));
		patient.addCommunication().setPreferred(true).setLanguage(new CodeableConcept(
				new Coding("urn:ietf:bcp:47", "vi", "Vietnamese")).setText("Tiếng Việt"));
		return patient;
	}

	static HumanName humanName(Person person) {
		HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(person.fullName());
		if (person.family() != null) {
			name.setFamily(person.family());
		}
		person.givenParts().forEach(name::addGiven);
		return name;
	}

	static Address address(Person person) {
		Provinces.Province residence = person.residence();
		return new Address()
				.setUse(Address.AddressUse.HOME)
				.setType(Address.AddressType.PHYSICAL)
				.setText(person.addressLine() + ", " + person.commune().toLowerCase(java.util.Locale.ROOT).charAt(0)
						+ person.commune().substring(1) + ", " + residence.addressName2025())
				.addLine(person.addressLine())
				.setCity(person.commune())
				.setState(residence.addressName2025())
				.setCountry("VN");
	}

	static Coding coding(VnCodeSystem system, String code) {
		return new Coding(system.url(), code, VnTerminology.display(system, code)
				.orElseThrow(() -> new IllegalArgumentException(code + " is not in " + system.id())));
	}

	// ------------------------------------------------------------------ data

	private static final Map<String, String> MARITAL = Map.of("U", "unmarried", "M", "Married", "W", "Widowed", "D", "Divorced");

	/** Five-year age groups (lower bound; 85 is 85+) weighted by the 2019 census. */
	private static final Weighted<Integer> AGE_GROUPS = Weighted.of(
			0, 8.0, 5, 8.6, 10, 7.4, 15, 6.9, 20, 7.0, 25, 8.2, 30, 8.3, 35, 7.9, 40, 7.3, 45, 6.7,
			50, 6.0, 55, 5.3, 60, 4.4, 65, 3.1, 70, 1.8, 75, 1.2, 80, 0.9, 85, 1.0);

	private static final List<String> MIGRANT_DESTINATIONS = List.of("01", "79", "74", "75", "48", "31", "92");
	private static final List<String> URBAN = List.of("01", "79", "31", "48", "92", "74", "75", "77");

	private static final Weighted<String> RURAL_OCCUPATIONS = Weighted.of(
			"61", 10, "63", 12, "92", 18, "93", 8, "52", 6, "51", 4, "75", 5, "71", 5, "82", 5, "81", 3, "83", 3,
			"95", 3, "53", 1, "22", 0.5, "23", 1.5, "32", 0.5, "36", 0.5, "24", 0.5, "33", 1, "41", 1, "54", 1,
			"01", 0.5, "02", 0.4, "00000", 6);
	private static final Weighted<String> URBAN_OCCUPATIONS = Weighted.of(
			"52", 12, "51", 10, "24", 4, "25", 3, "21", 3, "22", 2, "23", 3, "26", 2, "31", 2, "32", 2, "33", 5,
			"34", 2, "35", 2, "36", 1, "41", 5, "42", 4, "43", 2, "44", 2, "53", 2, "54", 2, "71", 4, "72", 3,
			"74", 2, "75", 5, "81", 4, "82", 6, "83", 4, "93", 4, "91", 3, "94", 1, "95", 2, "96", 1, "1", 1,
			"01", 0.8, "02", 0.8, "03", 0.2, "00000", 5);

	/** Benefit level (mức hưởng) of each beneficiary group, digit 3 of the card code. */
	private static final Map<String, Integer> BENEFIT_LEVEL = new HashMap<>();

	static {
		for (String g : List.of("CC", "TE")) BENEFIT_LEVEL.put(g, 1);
		for (String g : List.of("CK", "CB", "KC", "HN", "DT", "DK", "XD", "BT", "TS")) BENEFIT_LEVEL.put(g, 2);
		for (String g : List.of("HT", "TC", "CN")) BENEFIT_LEVEL.put(g, 3);
		for (String g : List.of("DN", "HX", "CH", "NN", "TK", "HC", "XK", "TB", "NO", "CT", "XB", "TN", "CS", "XN",
				"MS", "HD", "TQ", "TA", "TY", "HG", "LS", "PV", "HS", "SV", "GB", "GD")) BENEFIT_LEVEL.put(g, 4);
		for (String g : List.of("QN", "CY", "CA")) BENEFIT_LEVEL.put(g, 5);
	}

	/** Ethnic groups by birth province where minorities are many (2019 census, rounded, per cent). */
	private static final Map<String, Weighted<String>> ETHNICITY = new HashMap<>();
	private static final Weighted<String> DEFAULT_ETHNICITY =
			mix("01:97.4,04:0.6,02:0.4,06:0.4,07:0.3,03:0.2,05:0.2,09:0.1,17:0.05,18:0.1,99:0.15");

	static {
		String[][] table = {
			{"02", "08:32,02:23,09:15,01:13,07:10,25:2,43:1,46:1,51:0.5,38:1,47:0.3"},
			{"04", "02:41,07:31,08:10,09:10,01:5,43:1"},
			{"06", "02:52,09:17,01:12,07:9,08:7,04:0.5"},
			{"08", "01:46,02:25,09:11,15:8,08:2,07:2,18:2"},
			{"10", "01:35,08:25,02:15,09:14,25:4,07:4,40:1,49:0.3,35:0.5"},
			{"11", "03:38,08:35,01:18,29:3,37:1,48:0.5,50:0.3,35:1,07:1"},
			{"12", "03:33,08:24,01:14,09:13,35:4,42:2,41:2,45:1,50:0.3"},
			{"14", "03:53,01:17,08:16,06:8,29:1,33:1,34:1,39:0.8,09:2"},
			{"15", "01:53,02:18,09:11,08:11,03:6"},
			{"17", "06:63,01:28,03:4,09:2,02:1,08:1"},
			{"19", "01:71,02:11,07:6,18:4,09:2,15:2,08:1"},
			{"20", "07:42,02:35,01:16,09:4,04:1"},
			{"22", "01:88,09:5,02:3,18:2,15:1,04:0.5,11:0.1"},
			{"24", "01:88,07:5,02:3,15:2,18:2"},
			{"25", "01:85,06:13,09:1,15:1"},
			{"26", "01:96,18:3"},
			{"38", "01:84,06:10,03:6"},
			{"40", "01:85,03:10,29:1.5,08:1,24:2,53:0.05"},
			{"44", "01:97.5,23:1.5,44:0.7"},
			{"45", "01:89,23:9,31:2"},
			{"46", "01:97,31:2,26:1"},
			{"49", "01:92,26:4,14:2,27:1.5"},
			{"51", "01:88,19:10,30:2"},
			{"52", "01:97,13:2,19:1"},
			{"54", "01:94,12:3,13:2,17:1"},
			{"56", "01:95,21:4,04:1"},
			{"58", "01:77,17:12,21:10,04:1"},
			{"60", "01:93,17:3,21:1,04:1,16:1"},
			{"62", "01:46,14:25,13:13,10:6,27:8,52:0.2,54:0.1"},
			{"64", "01:53,10:30,13:13,02:1,07:1"},
			{"66", "01:70,12:18,07:3,02:3,20:2,08:1,06:1"},
			{"67", "01:65,20:10,07:6,02:5,08:5,12:1,09:3"},
			{"68", "01:76,16:13,28:3,36:2,02:2,07:2,08:1"},
			{"70", "01:82,22:9,07:3,02:2,05:2,20:1"},
			{"72", "01:98,05:1,17:0.5"},
			{"74", "01:97,04:1,05:0.5,07:0.5,02:0.5"},
			{"75", "01:92,04:3,07:1.5,02:1,32:1,05:0.5"},
			{"77", "01:97,04:1,32:1.5"},
			{"79", "01:93,04:5,05:0.5,17:0.2,02:0.2,07:0.2"},
			{"84", "01:68,05:32"},
			{"89", "01:94,05:5,17:0.7,04:0.5"},
			{"91", "01:85,05:12,04:2"},
			{"92", "01:97,05:1.5,04:1.5"},
			{"93", "01:97,05:2,04:1"},
			{"94", "01:65,05:30,04:5"},
			{"95", "01:90,05:8,04:2"},
			{"96", "01:97,05:2,04:1"},
		};
		for (String[] row : table) {
			ETHNICITY.put(row[0], mix(row[1] + ",99:0.15"));
		}
	}

	/** "code:weight,…" with every code checked against the guide's vn-ethnicity code system. */
	private static Weighted<String> mix(String spec) {
		Map<String, Double> weights = new LinkedHashMap<>();
		for (String part : spec.split(",")) {
			String[] codeWeight = part.split(":");
			if (VnTerminology.display(VnCodeSystem.ETHNICITY, codeWeight[0]).isEmpty()) {
				throw new IllegalStateException("not a vn-ethnicity code: " + codeWeight[0]);
			}
			weights.merge(codeWeight[0], Double.parseDouble(codeWeight[1]), Double::sum);
		}
		return Weighted.of(weights);
	}

	private static String ruralPlace(Provinces.Region region) {
		return switch (region) {
			case MEKONG_DELTA, SOUTHEAST -> "Ấp";
			case CENTRAL_HIGHLANDS -> "Buôn";
			case NORTHERN_UPLANDS -> "Bản";
			default -> "Thôn";
		};
	}

	static final List<String> STREETS = List.of(
			"Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Hai Bà Trưng", "Quang Trung", "Lê Duẩn",
			"Nguyễn Du", "Phan Chu Trinh", "Hùng Vương", "Điện Biên Phủ", "Nguyễn Huệ", "Lê Thánh Tông", "Võ Thị Sáu",
			"Trần Phú", "Nguyễn Văn Cừ", "Lạc Long Quân", "Bà Triệu", "Hoàng Hoa Thám", "Cách Mạng Tháng Tám",
			"Nguyễn Thị Minh Khai", "Phạm Văn Đồng", "Tôn Đức Thắng", "Nguyễn Chí Thanh", "Lê Hồng Phong");
	static final List<String> COMMUNE_NAMES = List.of(
			"Tân Phú", "An Bình", "Hòa Khánh", "Phú Lợi", "Đông Hòa", "Yên Hòa", "Nghĩa Đô", "Quang Trung",
			"Tân Hiệp", "Bình Minh", "Thanh Xuân", "Phú Mỹ", "Long Hưng", "Hưng Thịnh", "Tiên Lữ", "Đồng Tâm",
			"Xuân Phương", "Hòa Bình", "Vĩnh Phúc", "An Khánh", "Tân Lập", "Hiệp Hòa", "Phước Long", "Thạnh Mỹ",
			"Kim Liên", "Cẩm Lệ", "Ngọc Hà", "Phú Thượng", "Trung Hòa", "Mỹ Đình");
	/** Provinces outside the uplands and highlands with mountain districts of minorities. */
	private static final List<String> MOUNTAIN_DISTRICTS = List.of("38", "40", "42", "44", "45", "46", "49", "51", "52", "54", "56", "58", "60", "70");

	private static final Map<Provinces.Region, List<String>> HAMLET_NAMES = new java.util.EnumMap<>(Provinces.Region.class);

	static {
		List<String> delta = List.of("Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lập", "Phú Hòa", "Bình An", "Đoài", "Cầu");
		HAMLET_NAMES.put(Provinces.Region.RED_RIVER_DELTA, delta);
		HAMLET_NAMES.put(Provinces.Region.NORTH_CENTRAL, delta);
		HAMLET_NAMES.put(Provinces.Region.SOUTH_CENTRAL_COAST, List.of("Phú Thạnh", "An Hòa", "Tân Phú", "Vĩnh An", "Xuân Thọ", "Mỹ Đông"));
		HAMLET_NAMES.put(Provinces.Region.NORTHERN_UPLANDS, List.of("Na Sang", "Nà Rụa", "Khuổi Lừa", "Pác Bó", "Nà Hẩu", "Tả Van", "Lũng Cú", "Bản Phố"));
		HAMLET_NAMES.put(Provinces.Region.CENTRAL_HIGHLANDS, List.of("Kon Klor", "Ea Tam", "Ako Dhông", "Plei Ốp", "Kon Tum Kơpâng", "Đắk Mar"));
		List<String> south = List.of("Mỹ Lợi", "Hòa Thuận", "Cây Da", "Rạch Gốc", "Tân Thành", "Bình Hòa", "Long Thạnh", "Phước Hưng");
		HAMLET_NAMES.put(Provinces.Region.SOUTHEAST, south);
		HAMLET_NAMES.put(Provinces.Region.MEKONG_DELTA, south);
	}

	/** How one people forms names: family names, middle names and personal names by sex and generation. */
	private static final class NameScheme {
		final Weighted<String> families;
		final double noFamily;
		final boolean givenFirst;
		final Weighted<String>[] maleMiddle;
		final Weighted<String>[] femaleMiddle;
		final Weighted<String>[] maleGiven;
		final Weighted<String>[] femaleGiven;

		@SuppressWarnings("unchecked")
		NameScheme(Weighted<String> families, double noFamily, boolean givenFirst,
				Weighted<String>[] maleMiddle, Weighted<String>[] femaleMiddle,
				Weighted<String>[] maleGiven, Weighted<String>[] femaleGiven) {
			this.families = families;
			this.noFamily = noFamily;
			this.givenFirst = givenFirst;
			this.maleMiddle = maleMiddle;
			this.femaleMiddle = femaleMiddle;
			this.maleGiven = maleGiven;
			this.femaleGiven = femaleGiven;
		}

		String family(Rng rng) {
			return noFamily > 0 && rng.chance(noFamily) ? null : rng.pick(families);
		}

		static NameScheme of(String ethnicity, Provinces.Region region) {
			NameScheme scheme = BY_ETHNICITY.get(ethnicity);
			if (scheme != null) {
				return scheme;
			}
			return region.south() ? KINH_SOUTH : KINH_NORTH;
		}

		@SuppressWarnings("unchecked")
		static Weighted<String>[] same(Weighted<String> one) {
			return new Weighted[] {one, one, one};
		}

		@SuppressWarnings("unchecked")
		static Weighted<String>[] byGeneration(Weighted<String> old, Weighted<String> middle, Weighted<String> young) {
			return new Weighted[] {old, middle, young};
		}

		static Weighted<String> words(String spaceSeparated) {
			return Weighted.uniform(List.of(spaceSeparated.split(",")));
		}

		static final Weighted<String>[] KINH_MALE_MIDDLE = byGeneration(
				Weighted.of("Văn", 60, "Đức", 6, "Hữu", 6, "Ngọc", 4, "Xuân", 4, "Đình", 6, "Quang", 4, "Công", 4, "Minh", 3, "Thanh", 3),
				Weighted.of("Văn", 35, "Minh", 10, "Đức", 8, "Quốc", 6, "Hoàng", 5, "Thanh", 5, "Hữu", 5, "Tuấn", 4, "Anh", 4,
						"Duy", 4, "Công", 4, "Trung", 3, "Đình", 4),
				Weighted.of("Gia", 10, "Minh", 15, "Văn", 12, "Đức", 8, "Quốc", 8, "Hoàng", 8, "Bảo", 6, "Anh", 6, "Tuấn", 4,
						"Duy", 5, "Nhật", 5, "Thiên", 4, "Đăng", 4, "Khánh", 3));
		static final Weighted<String>[] KINH_FEMALE_MIDDLE = byGeneration(
				Weighted.of("Thị", 85, "Ngọc", 4, "Thu", 3, "Kim", 3, "Thanh", 3, "Bích", 2),
				Weighted.of("Thị", 55, "Ngọc", 8, "Thu", 6, "Thanh", 6, "Thùy", 5, "Kim", 4, "Phương", 4, "Bích", 3, "Hồng", 3,
						"Mỹ", 3, "Minh", 3),
				Weighted.of("Thị", 25, "Ngọc", 10, "Bảo", 8, "Khánh", 8, "Minh", 8, "Phương", 6, "Gia", 5, "Thảo", 5, "Hà", 4,
						"Tú", 4, "Thu", 4, "Quỳnh", 4, "Mai", 4, "An", 3, "Thùy", 3));
		static final Weighted<String>[] KINH_MALE_GIVEN = byGeneration(
				words("Hùng,Dũng,Thắng,Bình,Hải,Sơn,Minh,Cường,Tuấn,Hòa,Lộc,Phúc,Thành,Long,Quang,Nam,Trung,Toàn,Tâm,Vinh,"
						+ "Hiền,Khải,Chiến,Thịnh,Bảy,Tư,Sáu,Năm"),
				words("Anh,Tuấn,Hùng,Dũng,Hiếu,Huy,Long,Nam,Sơn,Thắng,Trung,Tùng,Việt,Cường,Đạt,Hải,Hoàng,Khoa,Linh,Phong,"
						+ "Quân,Quang,Tâm,Thành,Thịnh,Toàn,Tú,Vinh,Hưng,Kiên"),
				words("Bảo,Khang,Phúc,Huy,Khôi,Minh,Nam,Quân,Khoa,Đăng,Duy,Hiếu,Kiệt,Lâm,Long,Nhân,Phát,Thịnh,Tín,Vinh,"
						+ "An,Anh,Đức,Hải,Hưng,Khánh,Lộc,Phong,Sơn,Tùng"));
		static final Weighted<String>[] KINH_FEMALE_GIVEN = byGeneration(
				words("Lan,Hoa,Hồng,Mai,Hương,Nga,Thủy,Hà,Cúc,Loan,Liên,Tuyết,Hạnh,Nhung,Yến,Vân,Xuân,Thu,Bình,Dung,"
						+ "Hiền,Lệ,Nguyệt,Oanh,Phượng,Sen,Tâm,Thoa,Tươi,Ánh"),
				words("Anh,Hương,Hằng,Huyền,Linh,Trang,Thảo,Ngọc,Phương,Nhung,Hà,Lan,Mai,Hạnh,Dung,Giang,Hiền,Loan,Ngân,"
						+ "Oanh,Quyên,Thủy,Trâm,Vân,Yến,Diệp,Hồng,Nga,Thu,Tuyết"),
				words("Anh,Chi,Hân,Linh,My,Ngân,Nhi,Như,Thư,Trâm,Uyên,Vy,Yến,An,Diệp,Hà,Hương,Khuê,Ngọc,Quyên,Tâm,Thảo,"
						+ "Trang,Vân,Giang,Hằng,Mai,Phương,Quỳnh,Châu"));
		static final Weighted<String>[] VAN = same(Weighted.of("Văn", 75, "Đức", 8, "Xuân", 6, "Minh", 6, "Quốc", 5));
		static final Weighted<String>[] THI = same(Weighted.of("Thị", 88, "Ngọc", 4, "Thu", 4, "Kim", 4));
		static final Weighted<String>[] NONE = same(Weighted.of("", 1));

		static final NameScheme KINH_NORTH = new NameScheme(
				Weighted.of("Nguyễn", 38, "Trần", 11, "Lê", 9.5, "Phạm", 7, "Hoàng", 5, "Phan", 4.5, "Vũ", 4, "Đặng", 2.1,
						"Bùi", 2, "Đỗ", 1.4, "Hồ", 1.3, "Ngô", 1.3, "Dương", 1, "Lý", 0.5, "Đinh", 0.7, "Trịnh", 0.6,
						"Đào", 0.6, "Mai", 0.5, "Lương", 0.5, "Cao", 0.4, "Tạ", 0.3, "Lưu", 0.3, "Hà", 0.5, "Tô", 0.3,
						"Chu", 0.3, "Kiều", 0.2, "Quách", 0.2, "Đoàn", 0.5, "Trương", 0.5, "Vương", 0.2, "Khúc", 0.1),
				0, false, KINH_MALE_MIDDLE, KINH_FEMALE_MIDDLE, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
		static final NameScheme KINH_SOUTH = new NameScheme(
				Weighted.of("Nguyễn", 38, "Trần", 11, "Lê", 9.5, "Phạm", 7, "Huỳnh", 4.5, "Hoàng", 0.5, "Phan", 4.5,
						"Võ", 3.5, "Vũ", 0.5, "Đặng", 2.1, "Bùi", 2, "Đỗ", 1.4, "Hồ", 1.3, "Ngô", 1.3, "Dương", 1, "Lý", 0.7,
						"Đinh", 0.5, "Trương", 0.8, "Lâm", 0.6, "Mai", 0.5, "Đoàn", 0.5, "Châu", 0.4, "Tô", 0.3, "Thái", 0.3,
						"Cao", 0.4, "Lưu", 0.3, "Tạ", 0.2, "Quách", 0.2, "Văn", 0.1),
				0, false, KINH_MALE_MIDDLE, KINH_FEMALE_MIDDLE, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);

		static final Map<String, NameScheme> BY_ETHNICITY = new HashMap<>();

		static {
			NameScheme tayNung = new NameScheme(
					Weighted.of("Hoàng", 20, "Nông", 15, "Lương", 8, "Lục", 6, "Ma", 6, "Đàm", 5, "Bế", 5, "Triệu", 6, "Hà", 5,
							"Vi", 4, "Lộc", 4, "La", 3, "Nguyễn", 8, "Mông", 2, "Sầm", 1),
					0, false, VAN, THI, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme thai = new NameScheme(
					Weighted.of("Lò", 20, "Cầm", 12, "Lường", 12, "Quàng", 8, "Tòng", 6, "Vi", 8, "Hà", 10, "Lù", 5, "Điêu", 4,
							"Sầm", 3, "Lê", 4, "Bạc", 3),
					0, false, VAN, THI, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme muong = new NameScheme(
					Weighted.of("Bùi", 40, "Đinh", 25, "Quách", 10, "Hà", 10, "Xa", 5, "Nguyễn", 5, "Phạm", 5),
					0, false, VAN, THI, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme hmong = new NameScheme(
					Weighted.of("Giàng", 15, "Sùng", 15, "Vàng", 15, "Thào", 12, "Lý", 10, "Hạng", 8, "Mùa", 8, "Lầu", 5, "Ly", 4,
							"Tráng", 3, "Hầu", 3, "Chá", 2),
					0, false,
					same(Weighted.of("A", 50, "Văn", 20, "Seo", 10, "Mí", 10, "Chứ", 10)),
					same(Weighted.of("Thị", 70, "Mỷ", 10, "Thị Mai", 5, "", 15)),
					same(words("Pao,Sềnh,Chứ,Dế,Lử,Tủa,Sính,Chá,Dình,Páo,Mua,Súa,Vừ,Chơ,Dơ,Tú")),
					same(words("Mai,Dợ,Sua,Mỷ,Dung,Say,Chở,Pà,Xúa,Dính,Ly,Sinh,Máy,Mẩy")));
			NameScheme dao = new NameScheme(
					Weighted.of("Triệu", 25, "Bàn", 20, "Đặng", 15, "Lý", 15, "Phùng", 8, "Chảo", 8, "Tẩn", 5, "Hoàng", 4),
					0, false,
					same(Weighted.of("Văn", 60, "Tòn", 10, "Kim", 5, "Quý", 5, "Phúc", 5, "Tiến", 5, "Sành", 5, "Chòi", 5)),
					same(Weighted.of("Thị", 70, "Mùi", 10, "Mẩy", 5, "Kiều", 5, "Tạ", 5, "Phúc", 5)),
					KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme khmer = new NameScheme(
					Weighted.of("Thạch", 25, "Sơn", 15, "Kim", 12, "Danh", 12, "Lâm", 8, "Châu", 8, "Trần", 5, "Lý", 5, "Huỳnh", 5,
							"Chau", 5),
					0, false,
					same(Weighted.of("", 50, "Văn", 20, "Sóc", 5, "Ngọc", 10, "Minh", 10, "Hoàng", 5)),
					same(Weighted.of("Thị", 80, "", 20)),
					same(words("Sa Rết,Phi,Rinh,Sa Mây,Chanh Đa,Sóc,Sô Phên,Sơn,Sang,Mạnh,Pho,Sa Ri,Sa Rương,Thi,Khol")),
					same(words("Sa Phia,Ni,Sa Rum,Mol,Sóc Kha,Srây,Sa Vân,Thu,Chanh Thi,Ra,Sa Ly,Sà Pha,Sóc Phia,Đa Ri")));
			NameScheme edeJarai = new NameScheme(
					Weighted.of("Niê", 12, "Ayun", 6, "Êban", 6, "Mlô", 5, "Byă", 4, "Adrơng", 4, "Kbuôr", 4, "Ksor", 12,
							"Rơ Châm", 6, "Siu", 8, "Rơ Mah", 6, "Nay", 6, "Kpă", 6, "Rah Lan", 4, "Puih", 4),
					0, true,
					same(Weighted.of("Y", 1)), same(Weighted.of("H'", 1)),
					same(words("Bih,Jút,Kông,Suôn,Nhiên,Thu,Blưn,Wơn,Ngơn,Yơ,Lăk,Ju,Hiơ,Khuê,Kim,Tlang")),
					same(words("Hen,Nhi,Yơn,Ly,Bla,Mai,Wen,Juen,Nga,Hiam,Bluin,Krang,Hoa,Ruah")));
			NameScheme bahnarSedang = new NameScheme(
					Weighted.of("Đinh", 60, "A", 20, "Y", 20), 0.5, true,
					same(Weighted.of("A", 1)), same(Weighted.of("Y", 1)),
					same(words("Thút,Blưn,Hyum,Nhơng,Ríp,Đức,Hơ,Khâm,Mik,Ngơ,Thiết,Pôn,Rơi,Tuyn")),
					same(words("Nhung,Hiên,Ngân,Blang,Liêm,Thi,Mơ,Hơn,Nhiên,Her,Khoa,Rơ")));
			NameScheme katuic = new NameScheme(
					Weighted.of("Hồ", 20, "Lê", 10, "Đinh", 15, "Phạm", 10, "Alăng", 8, "Bhling", 8, "Zơrâm", 6, "Pơloong", 5,
							"Arất", 5, "Kray", 4, "Hà", 5, "Nguyễn", 4),
					0, false, VAN, THI, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme cham = new NameScheme(
					Weighted.of("Đàng", 20, "Thành", 15, "Thiên", 10, "Quảng", 10, "Lưu", 8, "Bá", 8, "Hán", 6, "Châu", 6,
							"Trượng", 5, "Lộ", 4, "Phú", 4, "Nguyễn", 4),
					0, false, VAN, THI, KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme hoa = new NameScheme(
					Weighted.of("Lâm", 12, "Trương", 12, "Lý", 10, "Quách", 8, "Hứa", 6, "Lưu", 8, "Tăng", 6, "Mã", 5, "Diệp", 5,
							"Châu", 5, "Trần", 8, "Huỳnh", 5, "Hoàng", 4, "La", 3, "Tạ", 3),
					0, false,
					same(Weighted.of("Văn", 20, "Quốc", 10, "Minh", 15, "Gia", 10, "Vĩnh", 10, "Kiến", 5, "Chí", 10, "Tuấn", 5,
							"Khải", 5, "Hữu", 10)),
					same(Weighted.of("Thị", 30, "Mỹ", 15, "Ngọc", 15, "Huệ", 5, "Lệ", 10, "Kim", 10, "Tuyết", 5, "Bội", 5, "Gia", 5)),
					KINH_MALE_GIVEN, KINH_FEMALE_GIVEN);
			NameScheme southernHighlands = new NameScheme(
					Weighted.of("Điểu", 30, "Liêng", 8, "Touneh", 8, "Ya", 6, "Pinăng", 8, "Chamaléa", 8, "Katơr", 6, "Mang", 6,
							"Bon", 6, "Ka", 5, "Lâm", 5),
					0, false, NONE, same(Weighted.of("Thị", 70, "", 30)),
					same(words("Bih,Brông,Kơ,Đăm,Sơn,Lữ,Điều,Phước,Ha,Kre,Srai,Tơ")),
					same(words("Hương,Brơi,Ngân,Nhi,Mai,Hoa,Thơm,Sen,Nga,Lam,Bé")));
			for (String code : List.of("02", "07", "15", "18", "25", "11", "47", "49", "51")) BY_ETHNICITY.put(code, tayNung);
			for (String code : List.of("03", "37", "42", "29", "33", "34", "39", "45", "48", "50")) BY_ETHNICITY.put(code, thai);
			for (String code : List.of("06", "24")) BY_ETHNICITY.put(code, muong);
			for (String code : List.of("08", "46", "43")) BY_ETHNICITY.put(code, hmong);
			for (String code : List.of("09", "35", "40", "41", "38")) BY_ETHNICITY.put(code, dao);
			BY_ETHNICITY.put("05", khmer);
			for (String code : List.of("10", "12")) BY_ETHNICITY.put(code, edeJarai);
			for (String code : List.of("13", "14", "27", "52", "54")) BY_ETHNICITY.put(code, bahnarSedang);
			for (String code : List.of("26", "31", "23", "44", "19", "30", "53")) BY_ETHNICITY.put(code, katuic);
			BY_ETHNICITY.put("17", cham);
			BY_ETHNICITY.put("04", hoa);
			for (String code : List.of("20", "22", "28", "32", "16", "36", "21")) BY_ETHNICITY.put(code, southernHighlands);
		}
	}
}
