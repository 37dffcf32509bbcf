package vn.ehealth.fhir.synth;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ChargeItemDefinition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UsageContext;
import org.hl7.fhir.r4.model.codesystems.LocationPhysicalType;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.terminology.VnCodeSystem;

/**
 * The health system around the patients: for every province where someone lives, its provincial
 * general hospital, area hospitals, commune health stations and a private clinic, plus the central,
 * army and police hospitals; each with a facility code and an operating licence at one of the three
 * technical levels of Law 15/2023 Art. 104 (ban đầu, cơ bản, chuyên sâu), its departments and beds,
 * its practitioners with practice licences, titles and working hours, and its service prices.
 *
 * <p>A province's facilities depend only on the seed and the province, so a patient's record does not
 * change with how many other patients a data set has.
 */
public final class HealthSystem {

	/** Cấp chuyên môn kỹ thuật (Law 15/2023/QH15 Art. 104). */
	enum Level {
		PRIMARY("ban đầu"), BASIC("cơ bản"), SPECIALISED("chuyên sâu");

		final String vi;

		Level(String vi) {
			this.vi = vi;
		}
	}

	enum Kind { CENTRAL, PROVINCIAL, AREA, COMMUNE, CLINIC, ARMY, POLICE }

	record Bed(String id, String name) {}

	record Ward(String id, String key, String name, String roleCode, String roleDisplay, List<Bed> beds) {}

	/** A practitioner's role at one facility. */
	record Staff(String practitionerId, String roleId, String title, String displayName, String specialty,
			String wardKey, boolean active) {}

	record Facility(String id, String code, String name, Kind kind, Level level, Provinces.Province province,
			int beds, String siteId, List<Ward> wards, List<Staff> staff, String partOf, List<String> services) {

		boolean hospital() {
			return kind != Kind.COMMUNE && kind != Kind.CLINIC;
		}

		Ward ward(String key) {
			for (Ward ward : wards) {
				if (ward.key().equals(key)) {
					return ward;
				}
			}
			for (Ward ward : wards) {
				if (!ward.beds().isEmpty()) {
					return ward;
				}
			}
			return wards.get(0);
		}

		boolean hasWard(String key) {
			return wards.stream().anyMatch(w -> w.key().equals(key));
		}
	}

	/** A billable service and its price at each kind of facility (VND; 0 where it is not offered). */
	record Service(String key, String name, long central, long provincial, long area, long commune, long clinic) {
		long priceAt(Kind kind) {
			return switch (kind) {
				case CENTRAL, ARMY -> central;
				case PROVINCIAL, POLICE -> provincial;
				case AREA -> area;
				case COMMUNE -> commune;
				case CLINIC -> clinic;
			};
		}
	}

	/** Prices after Circular 22/2023/TT-BYT for public facilities, rounded; private clinics set their own. */
	static final List<Service> SERVICES = List.of(
			new Service("kham-benh", "Khám bệnh", 50_600, 50_600, 38_700, 34_500, 150_000),
			new Service("giuong-noi", "Ngày giường bệnh Nội khoa", 318_000, 278_000, 230_000, 80_000, 0),
			new Service("cong-thuc-mau", "Tổng phân tích tế bào máu ngoại vi (bằng máy đếm laser)", 46_200, 46_200, 40_400, 0, 90_000),
			new Service("glucose", "Định lượng Glucose [Máu]", 21_500, 21_500, 21_500, 15_000, 50_000),
			new Service("hba1c", "Định lượng HbA1c [Máu]", 101_000, 101_000, 101_000, 0, 180_000),
			new Service("xquang-nguc", "Chụp X-quang ngực thẳng", 65_400, 65_400, 65_400, 0, 150_000),
			new Service("sieu-am-bung", "Siêu âm ổ bụng", 43_900, 43_900, 43_900, 0, 150_000),
			new Service("dien-tim", "Điện tim thường", 32_800, 32_800, 32_800, 0, 80_000),
			new Service("mo-ruot-thua", "Phẫu thuật nội soi cắt ruột thừa", 2_763_000, 2_763_000, 2_763_000, 0, 0),
			new Service("de-thuong", "Đỡ đẻ thường ngôi chỏm", 706_000, 706_000, 675_000, 500_000, 0));

	private final long seed;
	private final String tag;
	private final LocalDate asOf;
	private final Population population;
	private final Map<String, List<Facility>> byProvince = new LinkedHashMap<>();
	private final List<Facility> central = new ArrayList<>();
	private final List<Facility> all = new ArrayList<>();
	private final Map<String, Practitioner> practitioners = new LinkedHashMap<>();
	private final Map<String, List<PractitionerRole>> extraRoles = new LinkedHashMap<>();

	/** The facilities of the given provinces (legacy codes) and the central level. */
	public HealthSystem(long seed, LocalDate asOf, Collection<String> provinceCodes) {
		this.seed = seed;
		this.tag = Ids.tag(seed);
		this.asOf = asOf;
		this.population = new Population(seed, asOf);
		central.add(facility(Provinces.get("01"), Kind.CENTRAL, "01901", "Bệnh viện Trung ương Thăng Long", null, 0));
		central.add(facility(Provinces.get("46"), Kind.CENTRAL, "46901", "Bệnh viện Trung ương Hương Giang", null, 1));
		central.add(facility(Provinces.get("79"), Kind.CENTRAL, "79901", "Bệnh viện Trung ương Sài Gòn", null, 2));
		central.add(facility(Provinces.get("01"), Kind.ARMY, "97001", "Bệnh viện Quân y Hồng Hà", null, 3));
		central.add(facility(Provinces.get("01"), Kind.POLICE, "98001", "Bệnh viện Công an Tây Hồ", null, 4));
		all.addAll(central);
		for (String code : new TreeSet<>(provinceCodes)) {
			List<Facility> facilities = provinceFacilities(Provinces.get(code));
			byProvince.put(code, facilities);
			all.addAll(facilities);
		}
	}

	private List<Facility> provinceFacilities(Provinces.Province province) {
		Rng rng = new Rng(seed, "province-facilities", Integer.parseInt(province.code()));
		boolean big = province.populationThousands() > 3000;
		// unique over the whole country (central facilities take 0–4), so practitioners' numbers never meet
		int ordinal = Integer.parseInt(province.code()) * 32;
		List<Facility> facilities = new ArrayList<>();
		String pp = province.code();
		facilities.add(facility(province, Kind.PROVINCIAL, pp + "001", "Bệnh viện Đa khoa " + province.facilityName(), null, ordinal++));
		List<String> directions = List.of("Bắc", "Nam", "Đông", "Tây");
		int areas = big ? 4 : 2;
		for (int i = 0; i < areas; i++) {
			facilities.add(facility(province, Kind.AREA, pp + String.format("%03d", 11 + i),
					"Bệnh viện Đa khoa khu vực " + directions.get(i) + " " + province.name(), null, ordinal++));
		}
		int communes = big ? 6 : 3;
		List<String> names = new ArrayList<>(Population.COMMUNE_NAMES);
		for (int i = 0; i < communes; i++) {
			String name = names.remove(rng.nextInt(names.size()));
			String unit = i % 2 == 0 ? "xã " : "phường ";
			facilities.add(facility(province, Kind.COMMUNE, pp + String.format("%03d", 101 + i),
					"Trạm Y tế " + unit + name, facilities.get(1 + i % areas).id(), ordinal++));
		}
		int clinics = big ? 2 : 1;
		List<String> clinicNames = new ArrayList<>(CLINIC_NAMES);
		for (int i = 0; i < clinics; i++) {
			facilities.add(facility(province, Kind.CLINIC, pp + String.format("%03d", 201 + i),
					"Phòng khám Đa khoa " + clinicNames.remove(rng.nextInt(clinicNames.size())), null, ordinal++));
		}
		// hospital doctors who also see patients at a private clinic after hours (ngoài giờ)
		List<Facility> clinicList = facilities.stream().filter(f -> f.kind() == Kind.CLINIC).toList();
		for (Facility hospital : facilities) {
			if (hospital.kind() != Kind.PROVINCIAL && hospital.kind() != Kind.AREA) {
				continue;
			}
			for (Staff staff : hospital.staff()) {
				if (staff.active() && staff.title().equals("bac-sy") && rng.chance(0.3)) {
					Facility clinic = clinicList.get(rng.nextInt(clinicList.size()));
					extraRoles.computeIfAbsent(staff.practitionerId(), k -> new ArrayList<>())
							.add(afterHoursRole(staff, clinic));
				}
			}
		}
		return facilities;
	}

	private Facility facility(Provinces.Province province, Kind kind, String code, String name, String partOf, int ordinal) {
		Rng rng = new Rng(seed, "facility", Integer.parseInt(code));
		Level level = switch (kind) {
			case CENTRAL, PROVINCIAL, ARMY -> Level.SPECIALISED;
			case AREA, POLICE -> Level.BASIC;
			case COMMUNE, CLINIC -> Level.PRIMARY;
		};
		int beds = switch (kind) {
			case CENTRAL -> rng.between(1500, 2500);
			case ARMY -> rng.between(800, 1200);
			case PROVINCIAL -> rng.between(600, 1200);
			case POLICE -> rng.between(300, 500);
			case AREA -> rng.between(120, 300);
			case COMMUNE -> rng.between(3, 8);
			case CLINIC -> rng.between(0, 6);
		};
		String id = tag + "-org-" + code;
		List<String> wardKeys = switch (kind) {
			case CENTRAL -> List.of("KKB", "CC", "HSTC", "NOI", "TM", "NGOAI", "SAN", "NHI", "TN", "LAO", "UB", "XN", "CDHA");
			case PROVINCIAL, ARMY -> List.of("KKB", "CC", "HSTC", "NOI", "NGOAI", "SAN", "NHI", "TN", "XN", "CDHA");
			case AREA, POLICE -> List.of("KKB", "CC", "NOI", "NGOAI", "SAN", "NHI", "XN");
			case COMMUNE -> List.of("PK", "LUU");
			case CLINIC -> List.of("PK");
		};
		List<Ward> wards = new ArrayList<>();
		for (String key : wardKeys) {
			String[] ward = WARDS.get(key);
			int bedCount = ward[3].equals("beds") ? (kind == Kind.COMMUNE ? 1 : 2) : 0;
			List<Bed> beds2 = new ArrayList<>();
			for (int b = 1; b <= bedCount; b++) {
				beds2.add(new Bed(tag + "-loc-" + code + "-" + key.toLowerCase() + "-g" + b, String.format("Giường %02d", b)));
			}
			wards.add(new Ward(tag + "-loc-" + code + "-" + key.toLowerCase(), key, ward[0], ward[1], ward[2], beds2));
		}
		List<Staff> staff = new ArrayList<>();
		List<String[]> posts = switch (kind) {
			case CENTRAL -> List.of(doc("Nội khoa", "NOI"), doc("Tim mạch", "TM"), doc("Ngoại khoa", "NGOAI"),
					doc("Hồi sức cấp cứu", "CC"), doc("Truyền nhiễm", "TN"), doc("Lao và bệnh phổi", "LAO"),
					doc("Ung bướu", "UB"), doc("Sản phụ khoa", "SAN"), doc("Nhi khoa", "NHI"),
					post("dieu-duong", "Điều dưỡng", "NOI"), post("ky-thuat-y", "Xét nghiệm", "XN"),
					post(ordinal % 2 == 0 ? "dinh-duong-lam-sang" : "tam-ly-lam-sang",
							ordinal % 2 == 0 ? "Dinh dưỡng lâm sàng" : "Tâm lý lâm sàng", "NOI"));
			case PROVINCIAL, ARMY -> List.of(doc("Nội khoa", "NOI"), doc("Ngoại khoa", "NGOAI"), doc("Sản phụ khoa", "SAN"),
					doc("Nhi khoa", "NHI"), doc("Hồi sức cấp cứu", "CC"), doc("Truyền nhiễm", "TN"),
					post("dieu-duong", "Điều dưỡng", "NOI"), post("ky-thuat-y", "Chẩn đoán hình ảnh", "CDHA"),
					post("cap-cuu-vien-ngoai-vien", "Cấp cứu ngoại viện", "CC"));
			case AREA, POLICE -> List.of(doc("Nội khoa", "NOI"), doc("Ngoại khoa", "NGOAI"), doc("Nhi khoa", "NHI"),
					doc("Hồi sức cấp cứu", "CC"), post("dieu-duong", "Điều dưỡng", "NOI"), post("ho-sinh", "Hộ sinh", "SAN"),
					post("ky-thuat-y", "Xét nghiệm", "XN"));
			case COMMUNE -> {
				List<String[]> p = new ArrayList<>();
				p.add(rng.chance(0.6) ? doc("Y học gia đình", "PK") : post("y-sy", "Y sỹ đa khoa", "PK"));
				p.add(post(rng.chance(0.5) ? "y-sy" : "dieu-duong", "Chăm sóc ban đầu", "PK"));
				p.add(post("ho-sinh", "Hộ sinh", "LUU"));
				if (rng.chance(0.2)) {
					p.add(post("luong-y", "Y học cổ truyền", "PK"));
				}
				yield p;
			}
			case CLINIC -> {
				List<String[]> p = new ArrayList<>();
				p.add(doc("Nội khoa", "PK"));
				p.add(doc("Nhi khoa", "PK"));
				if (rng.chance(0.15)) {
					p.add(post("gia-truyen", "Bài thuốc gia truyền chữa bệnh xương khớp", "PK"));
				}
				yield p;
			}
		};
		for (int k = 0; k < posts.size(); k++) {
			String[] post = posts.get(k);
			String practitionerId = tag + "-pr-" + code + "-" + String.format("%02d", k + 1);
			String roleId = tag + "-prr-" + code + "-" + String.format("%02d", k + 1);
			// a person number no patient has (patients are below 200,000): one CCCD per practitioner
			int personIndex = 200_000 + ordinal * 20 + k;
			Person person = population.adult(rng, personIndex, province, post[0].equals("bac-sy") ? 28 : 23, 62,
					post[0].equals("bac-sy") || post[0].equals("y-sy") ? "22" : "32");
			boolean active = !rng.chance(0.02);
			Practitioner practitioner = practitioner(person, practitionerId, post, province, kind, rng, active);
			practitioners.put(practitionerId, practitioner);
			String display = practitioner.getNameFirstRep().getPrefixAsSingleString().isEmpty()
					? person.fullName()
					: practitioner.getNameFirstRep().getPrefixAsSingleString() + " " + person.fullName();
			staff.add(new Staff(practitionerId, roleId, post[0], display, post[1], post[2], active));
		}
		List<String> services = new ArrayList<>();
		for (Service service : SERVICES) {
			if (service.priceAt(kind) > 0) {
				services.add(service.key());
			}
		}
		return new Facility(id, code, name, kind, level, province, beds, tag + "-loc-" + code + "-site", wards, staff,
				partOf, services);
	}

	private static String[] doc(String specialty, String ward) {
		return new String[] {"bac-sy", specialty, ward};
	}

	private static String[] post(String title, String specialty, String ward) {
		return new String[] {title, specialty, ward};
	}

	// ------------------------------------------------------------------ lookups for the care history

	List<Facility> in(Provinces.Province province) {
		return byProvince.getOrDefault(province.code(), List.of());
	}

	Facility of(Provinces.Province province, Kind kind, Rng rng) {
		List<Facility> matching = in(province).stream().filter(f -> f.kind() == kind).toList();
		if (matching.isEmpty()) {
			return centralFor(province);
		}
		return matching.get(rng.nextInt(matching.size()));
	}

	/** The central hospital a province refers to: north, centre or south. */
	Facility centralFor(Provinces.Province province) {
		return switch (province.region()) {
			case NORTHERN_UPLANDS, RED_RIVER_DELTA -> central.get(0);
			case NORTH_CENTRAL -> province.code().compareTo("44") < 0 ? central.get(0) : central.get(1);
			case SOUTH_CENTRAL_COAST, CENTRAL_HIGHLANDS -> province.code().compareTo("56") < 0 ? central.get(1) : central.get(2);
			case SOUTHEAST, MEKONG_DELTA -> central.get(2);
		};
	}

	Facility army() {
		return central.get(3);
	}

	Facility police() {
		return central.get(4);
	}

	/** An active doctor of the facility, preferring one of the ward (bác sỹ, else y sỹ or lương y). */
	Staff doctor(Facility facility, String wardKey, Rng rng) {
		List<Staff> inWard = facility.staff().stream()
				.filter(s -> s.active() && s.title().equals("bac-sy") && s.wardKey().equals(wardKey)).toList();
		if (!inWard.isEmpty()) {
			return inWard.get(rng.nextInt(inWard.size()));
		}
		List<Staff> doctors = facility.staff().stream()
				.filter(s -> s.active() && (s.title().equals("bac-sy") || s.title().equals("y-sy"))).toList();
		if (!doctors.isEmpty()) {
			return doctors.get(rng.nextInt(doctors.size()));
		}
		return facility.staff().stream().filter(Staff::active).findFirst().orElse(facility.staff().get(0));
	}

	/** A nurse, midwife or assistant physician for vital signs and vaccinations. */
	Staff nurse(Facility facility, Rng rng) {
		List<Staff> nurses = facility.staff().stream()
				.filter(s -> s.active() && (s.title().equals("dieu-duong") || s.title().equals("ho-sinh") || s.title().equals("y-sy")))
				.toList();
		return nurses.isEmpty() ? doctor(facility, "", rng) : nurses.get(rng.nextInt(nurses.size()));
	}

	// ------------------------------------------------------------------ resources

	/** Everything in the order a server with referential integrity can store it. */
	List<Resource> directory() {
		List<Resource> resources = new ArrayList<>();
		// parents (area hospitals) come before the commune stations that are part of them
		for (Facility facility : all) {
			if (facility.partOf() == null) {
				resources.add(organization(facility));
			}
		}
		for (Facility facility : all) {
			if (facility.partOf() != null) {
				resources.add(organization(facility));
			}
		}
		for (Facility facility : all) {
			resources.addAll(locations(facility));
		}
		for (Facility facility : all) {
			for (Staff staff : facility.staff()) {
				resources.add(practitioners.get(staff.practitionerId()));
			}
		}
		for (Facility facility : all) {
			for (Staff staff : facility.staff()) {
				resources.add(role(facility, staff));
				resources.addAll(extraRoles.getOrDefault(staff.practitionerId(), List.of()));
			}
		}
		for (Facility facility : all) {
			for (String key : facility.services()) {
				resources.add(price(facility, SERVICES.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow()));
			}
		}
		return resources;
	}

	private Organization organization(Facility facility) {
		Rng rng = new Rng(seed, "organization", Integer.parseInt(facility.code()));
		Organization org = new Organization();
		org.setId(facility.id());
		org.getMeta().addProfile(Canonicals.ORGANIZATION);
		String issuerCode = switch (facility.kind()) {
			case CENTRAL -> "BYT";
			case ARMY -> "BQP";
			case POLICE -> "BCA";
			default -> "SYT" + facility.province().code();
		};
		String issuer = switch (facility.kind()) {
			case CENTRAL -> "Bộ Y tế";
			case ARMY -> "Bộ Quốc phòng";
			case POLICE -> "Bộ Công an";
			default -> "Sở Y tế " + facility.province().facilityName();
		};
		String licence = rng.between(1, 999) + "/" + issuerCode + "-GPHĐ";
		Extension operating = new Extension(Canonicals.EXT_OPERATING_LICENCE);
		operating.addExtension("number", new StringType(licence));
		operating.addExtension("issuer", new StringType(issuer));
		operating.addExtension("issued", new DateType(LocalDate.of(rng.between(2013, 2024), rng.between(1, 12), rng.between(1, 28)).toString()));
		operating.addExtension("scope", new StringType(switch (facility.kind()) {
			case COMMUNE -> "Khám bệnh, chữa bệnh ban đầu; tiêm chủng; chăm sóc sức khỏe sinh sản";
			case CLINIC -> "Khám bệnh, chữa bệnh đa khoa (phòng khám)";
			default -> "Khám bệnh, chữa bệnh đa khoa";
		}));
		operating.addExtension("scope", new CodeableConcept().setText("Cấp chuyên môn kỹ thuật: " + facility.level().vi));
		operating.addExtension("beds", new IntegerType(facility.beds()));
		operating.addExtension("status", new org.hl7.fhir.r4.model.CodeType("active"));
		org.addExtension(operating);
		Extension quality = qualityAssessment(facility, issuer);
		if (quality != null) {
			org.addExtension(quality);
		}
		org.addIdentifier().setSystem(IdentifierSystems.FACILITY_CODE).setValue(facility.code());
		org.addIdentifier().setSystem(IdentifierSystems.FACILITY_OPERATING_LICENCE).setValue(licence);
		org.setActive(true);
		org.addType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/organization-type", "prov",
				"Healthcare Provider")).setText(switch (facility.kind()) {
					case CENTRAL, PROVINCIAL, AREA -> "Bệnh viện đa khoa";
					case ARMY -> "Bệnh viện quân y";
					case POLICE -> "Bệnh viện công an";
					case COMMUNE -> "Trạm y tế";
					case CLINIC -> "Phòng khám đa khoa";
				}));
		org.setName(facility.name());
		org.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.WORK)
				.setValue("02" + String.format("%02d", Integer.parseInt(facility.code().substring(0, 2)) % 100)
						+ String.format("%06d", rng.between(100_000, 999_999)));
		org.addAddress(facilityAddress(facility, rng));
		if (facility.partOf() != null) {
			org.setPartOf(new Reference("Organization/" + facility.partOf()));
		}
		return org;
	}

	/**
	 * The latest quality assessment a facility discloses (Circular 38/2024/TT-BYT): hospitals against the
	 * Vietnamese hospital quality criteria (Decision 6858/QĐ-BYT, 2016: each criterion at one of five
	 * levels, the result their mean), commune health stations against the national commune health
	 * criteria (met or not); private clinics publish none. Its own random stream, so adding it changed
	 * no other value of the data set.
	 */
	private Extension qualityAssessment(Facility facility, String assessor) {
		if (facility.kind() == Kind.CLINIC) {
			return null;
		}
		Rng rng = new Rng(seed, "quality", Integer.parseInt(facility.code()));
		Extension quality = new Extension(Canonicals.EXT_QUALITY_ASSESSMENT);
		LocalDate assessed = LocalDate.of(asOf.getYear() - 1, rng.between(10, 12), rng.between(1, 28));
		if (facility.hospital()) {
			BigDecimal score = BigDecimal.valueOf(rng.uniform(2.6, 4.3)).setScale(2, java.math.RoundingMode.HALF_UP);
			int level = score.intValue();
			quality.addExtension("criteria", new StringType("Bộ tiêu chí chất lượng bệnh viện Việt Nam (Quyết định 6858/QĐ-BYT)"));
			quality.addExtension("date", new DateType(assessed.toString()));
			quality.addExtension("assessor", new StringType(assessor));
			quality.addExtension("score", new org.hl7.fhir.r4.model.DecimalType(score));
			quality.addExtension("result", new StringType("Mức " + level + " (" + QUALITY_LEVELS.get(level - 1) + ")"));
		} else {
			quality.addExtension("criteria", new StringType("Bộ tiêu chí quốc gia về y tế xã"));
			quality.addExtension("date", new DateType(assessed.toString()));
			quality.addExtension("assessor", new StringType(assessor));
			quality.addExtension("result", new StringType(rng.chance(0.8) ? "Đạt chuẩn quốc gia về y tế xã" : "Chưa đạt chuẩn"));
		}
		return quality;
	}

	/** The five levels of a criterion in Decision 6858/QĐ-BYT. */
	private static final List<String> QUALITY_LEVELS = List.of("kém", "trung bình", "khá", "tốt", "rất tốt");

	private static Address facilityAddress(Facility facility, Rng rng) {
		String line = "Số " + rng.between(1, 300) + ", đường " + rng.pick(Population.STREETS);
		String commune = (facility.kind() == Kind.COMMUNE && facility.name().contains(" xã ") ? "Xã " : "Phường ")
				+ rng.pick(Population.COMMUNE_NAMES);
		String state = facility.province().addressName2025();
		return new Address().setUse(Address.AddressUse.WORK).setType(Address.AddressType.PHYSICAL)
				.setText(line + ", " + commune + ", " + state).addLine(line).setCity(commune).setState(state).setCountry("VN");
	}

	private List<Location> locations(Facility facility) {
		List<Location> locations = new ArrayList<>();
		Reference org = new Reference("Organization/" + facility.id()).setDisplay(facility.name());
		Location site = new Location();
		site.setId(facility.siteId());
		site.setStatus(Location.LocationStatus.ACTIVE);
		site.setName(facility.name());
		site.setMode(Location.LocationMode.INSTANCE);
		site.setPhysicalType(physical(LocationPhysicalType.SI));
		site.setManagingOrganization(org);
		site.setAddress(facilityAddress(facility, new Rng(seed, "organization", Integer.parseInt(facility.code()))));
		locations.add(site);
		for (Ward ward : facility.wards()) {
			Location location = new Location();
			location.setId(ward.id());
			location.setStatus(Location.LocationStatus.ACTIVE);
			location.setName(ward.name() + " — " + facility.name());
			location.setMode(Location.LocationMode.INSTANCE);
			location.addType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode",
					ward.roleCode(), ward.roleDisplay())).setText(ward.name()));
			location.setPhysicalType(physical(LocationPhysicalType.WA));
			location.setManagingOrganization(org);
			location.setPartOf(new Reference("Location/" + facility.siteId()));
			if (!ward.beds().isEmpty()) {
				location.setDescription("Buồng bệnh nội trú / inpatient ward");
			}
			locations.add(location);
		}
		for (Ward ward : facility.wards()) {
			for (Bed bed : ward.beds()) {
				Location location = new Location();
				location.setId(bed.id());
				location.setStatus(Location.LocationStatus.ACTIVE);
				location.setName(bed.name() + ", " + ward.name());
				location.setMode(Location.LocationMode.INSTANCE);
				location.setPhysicalType(physical(LocationPhysicalType.BD));
				location.setManagingOrganization(org);
				location.setPartOf(new Reference("Location/" + ward.id()));
				locations.add(location);
			}
		}
		return locations;
	}

	private static CodeableConcept physical(LocationPhysicalType type) {
		return new CodeableConcept(new Coding(type.getSystem(), type.toCode(), type.getDisplay()));
	}

	private Practitioner practitioner(Person person, String id, String[] post, Provinces.Province province, Kind kind,
			Rng rng, boolean active) {
		String title = post[0];
		Practitioner practitioner = new Practitioner();
		practitioner.setId(id);
		practitioner.getMeta().addProfile(Canonicals.PRACTITIONER);
		int since = Math.max(person.birthDate().getYear() + 24, 1990);
		boolean gphn = rng.chance(0.5);
		String issuerCode = kind == Kind.CENTRAL ? "BYT" : kind == Kind.ARMY ? "BQP" : kind == Kind.POLICE ? "BCA" : "SYT" + province.code();
		String number = String.format("%06d", population.unique(person.index(), 6, 7))
				+ "/" + issuerCode + (gphn ? "-GPHN" : "-CCHN");
		Extension licence = new Extension(Canonicals.EXT_PRACTICE_LICENCE);
		licence.addExtension("number", new StringType(number));
		licence.addExtension("title", Population.coding(VnCodeSystem.PRACTITIONER_TITLE, title));
		licence.addExtension("scope", new StringType(scope(title, post[1])));
		licence.addExtension("issuer", new StringType(switch (issuerCode.substring(0, 3)) {
			case "BYT" -> "Bộ Y tế";
			case "BQP" -> "Bộ Quốc phòng";
			case "BCA" -> "Bộ Công an";
			default -> "Sở Y tế " + province.facilityName();
		}));
		Period period = new Period();
		if (gphn) {
			// Law 15/2023 Art. 27: one licence nationwide, valid five years
			LocalDate issued = LocalDate.of(rng.between(2024, 2025), rng.between(1, 12), rng.between(1, 28));
			period.setStartElement(new DateTimeType(issued.toString()))
					.setEndElement(new DateTimeType(issued.plusYears(5).minusDays(1).toString()));
		} else {
			// practising certificates (CCHN) of the old law carry no end date
			period.setStartElement(new DateTimeType(LocalDate.of(Math.min(since + rng.between(1, 3), 2023), rng.between(1, 12), rng.between(1, 28)).toString()));
		}
		licence.addExtension("period", period);
		licence.addExtension("status", new org.hl7.fhir.r4.model.CodeType(active ? "active" : "suspended"));
		practitioner.addExtension(licence);
		practitioner.addIdentifier().setSystem(IdentifierSystems.CCCD).setValue(person.cccd());
		practitioner.addIdentifier().setSystem(IdentifierSystems.PRACTICE_LICENCE).setValue(number);
		practitioner.setActive(active);
		HumanName name = Population.humanName(person);
		String prefix = switch (title) {
			case "bac-sy" -> rng.pick("BS.", "BS.", "BSCKI.", "ThS.BS.", "TS.BS.");
			case "y-sy" -> "YS.";
			case "dieu-duong" -> "ĐD.";
			case "ho-sinh" -> "HS.";
			case "ky-thuat-y" -> "KTV.";
			case "luong-y" -> "LY.";
			default -> null;
		};
		if (prefix != null) {
			name.addPrefix(prefix);
		}
		practitioner.addName(name);
		practitioner.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.WORK)
				.setValue(person.phone() != null ? person.phone() : "0912" + String.format("%06d", rng.between(0, 999_999)));
		practitioner.setGender(person.male() ? Enumerations.AdministrativeGender.MALE : Enumerations.AdministrativeGender.FEMALE);
		practitioner.setBirthDateElement(new DateType(person.birthDate().toString()));
		practitioner.addAddress(Population.address(person));
		Practitioner.PractitionerQualificationComponent qualification = practitioner.addQualification();
		qualification.setCode(new CodeableConcept().setText(QUALIFICATION.getOrDefault(title, "Chứng nhận chuyên môn")));
		qualification.setPeriod(new Period().setStartElement(new DateTimeType(String.valueOf(since))));
		qualification.setIssuer(new Reference().setDisplay(rng.pick(SCHOOLS)));
		return practitioner;
	}

	private static String scope(String title, String specialty) {
		return switch (title) {
			case "bac-sy" -> "Khám bệnh, chữa bệnh chuyên khoa " + specialty.toLowerCase(java.util.Locale.ROOT);
			case "y-sy" -> "Khám bệnh, chữa bệnh ban đầu (y sỹ đa khoa)";
			case "dieu-duong" -> "Thực hiện chăm sóc điều dưỡng";
			case "ho-sinh" -> "Chăm sóc sức khỏe sinh sản, đỡ đẻ thường";
			case "ky-thuat-y" -> "Kỹ thuật y: " + specialty.toLowerCase(java.util.Locale.ROOT);
			case "luong-y" -> "Khám bệnh, chữa bệnh bằng y học cổ truyền";
			default -> specialty;
		};
	}

	private PractitionerRole role(Facility facility, Staff staff) {
		PractitionerRole role = new PractitionerRole();
		role.setId(staff.roleId());
		role.getMeta().addProfile(Canonicals.PRACTITIONER_ROLE);
		role.setActive(staff.active());
		role.setPractitioner(new Reference("Practitioner/" + staff.practitionerId()).setDisplay(staff.displayName()));
		role.setOrganization(new Reference("Organization/" + facility.id()).setDisplay(facility.name()));
		role.addCode(roleCode(staff.title()));
		role.addSpecialty(new CodeableConcept().setText(staff.specialty()));
		role.addLocation(new Reference("Location/" + facility.ward(staff.wardKey()).id()));
		boolean emergency = staff.wardKey().equals("CC") || staff.wardKey().equals("HSTC");
		switch (facility.kind()) {
			case COMMUNE -> {
				hours(role, "07:00:00", "16:30:00", "mon", "tue", "wed", "thu", "fri");
				hours(role, "07:30:00", "11:30:00", "sat");
			}
			case CLINIC -> {
				hours(role, "17:00:00", "20:30:00", "mon", "tue", "wed", "thu", "fri", "sat");
				hours(role, "07:00:00", "11:00:00", "sun");
			}
			default -> {
				if (emergency) {
					// 24-hour duty shifts (trực) on alternate days, office hours between them
					role.addAvailableTime().setAllDay(true)
							.addDaysOfWeek(PractitionerRole.DaysOfWeek.MON).addDaysOfWeek(PractitionerRole.DaysOfWeek.WED)
							.addDaysOfWeek(PractitionerRole.DaysOfWeek.FRI);
					hours(role, "07:00:00", "17:00:00", "tue", "thu");
				} else {
					hours(role, "07:00:00", "17:00:00", "mon", "tue", "wed", "thu", "fri");
					hours(role, "07:00:00", "11:30:00", "sat");
				}
			}
		}
		role.setAvailabilityExceptions("Nghỉ các ngày lễ, Tết theo quy định / closed on public holidays");
		return role;
	}

	private PractitionerRole afterHoursRole(Staff staff, Facility clinic) {
		PractitionerRole role = new PractitionerRole();
		role.setId(staff.roleId() + "-ngoai-gio");
		role.getMeta().addProfile(Canonicals.PRACTITIONER_ROLE);
		role.setActive(true);
		role.setPractitioner(new Reference("Practitioner/" + staff.practitionerId()).setDisplay(staff.displayName()));
		role.setOrganization(new Reference("Organization/" + clinic.id()).setDisplay(clinic.name()));
		role.addCode(roleCode(staff.title()));
		role.addSpecialty(new CodeableConcept().setText(staff.specialty()));
		role.addLocation(new Reference("Location/" + clinic.ward("PK").id()));
		hours(role, "17:30:00", "20:30:00", "mon", "wed", "fri");
		role.setAvailabilityExceptions("Khám ngoài giờ hành chính / after-hours clinic");
		return role;
	}

	private static CodeableConcept roleCode(String title) {
		CodeableConcept code = new CodeableConcept()
				.setText(vn.ehealth.fhir.terminology.VnTerminology.display(VnCodeSystem.PRACTITIONER_TITLE, title).orElseThrow());
		switch (title) {
			case "bac-sy", "y-sy", "luong-y" -> code.addCoding(
					new Coding("http://terminology.hl7.org/CodeSystem/practitioner-role", "doctor", "Doctor"));
			case "dieu-duong", "ho-sinh", "cap-cuu-vien-ngoai-vien" -> code.addCoding(
					new Coding("http://terminology.hl7.org/CodeSystem/practitioner-role", "nurse", "Nurse"));
			default -> { }
		}
		return code;
	}

	private static void hours(PractitionerRole role, String start, String end, String... days) {
		PractitionerRole.PractitionerRoleAvailableTimeComponent time = role.addAvailableTime();
		for (String day : days) {
			time.addDaysOfWeek(PractitionerRole.DaysOfWeek.fromCode(day));
		}
		time.setAvailableStartTime(start).setAvailableEndTime(end);
	}

	private ChargeItemDefinition price(Facility facility, Service service) {
		ChargeItemDefinition price = new ChargeItemDefinition();
		String id = tag + "-price-" + facility.code() + "-" + service.key();
		price.setId(id);
		price.setUrl(Canonicals.BASE + "/synthetic/ChargeItemDefinition/" + facility.code() + "-" + service.key());
		price.setTitle(service.name() + " — " + facility.name());
		price.setStatus(Enumerations.PublicationStatus.ACTIVE);
		price.setPublisher(facility.name());
		price.setDescription("Giá dịch vụ " + service.name().toLowerCase(java.util.Locale.ROOT)
				+ " niêm yết tại " + facility.name() + " / listed service price");
		price.addUseContext(new UsageContext(
				new Coding("http://terminology.hl7.org/CodeSystem/usage-context-type", "venue", "Clinical Venue"),
				new Reference("Organization/" + facility.id()).setDisplay(facility.name())));
		price.setCode(new CodeableConcept().setText(service.name()));
		LocalDate effective = facility.kind() == Kind.CLINIC ? LocalDate.of(asOf.getYear(), 1, 1) : LocalDate.of(2023, 11, 17);
		price.setEffectivePeriod(new Period().setStartElement(new DateTimeType(effective.toString())));
		price.addPropertyGroup().addPriceComponent()
				.setType(ChargeItemDefinition.ChargeItemDefinitionPriceComponentType.BASE)
				.setAmount(new Money().setValue(BigDecimal.valueOf(service.priceAt(facility.kind()))).setCurrency("VND"));
		return price;
	}

	// ------------------------------------------------------------------ data

	/** Ward key → name, v3 RoleCode (service delivery location type), its display, "beds" when it has beds. */
	private static final Map<String, String[]> WARDS = new LinkedHashMap<>();

	static {
		WARDS.put("KKB", new String[] {"Khoa Khám bệnh", "OF", "Outpatient facility", ""});
		WARDS.put("CC", new String[] {"Khoa Cấp cứu", "ER", "Emergency room", "beds"});
		WARDS.put("HSTC", new String[] {"Khoa Hồi sức tích cực", "ICU", "Intensive care unit", "beds"});
		WARDS.put("NOI", new String[] {"Khoa Nội tổng hợp", "HU", "Hospital unit", "beds"});
		WARDS.put("TM", new String[] {"Khoa Tim mạch", "CCU", "Coronary care unit", "beds"});
		WARDS.put("NGOAI", new String[] {"Khoa Ngoại tổng hợp", "HU", "Hospital unit", "beds"});
		WARDS.put("SAN", new String[] {"Khoa Phụ sản", "OB", "Obstetrics clinic", "beds"});
		WARDS.put("NHI", new String[] {"Khoa Nhi", "PEDU", "Pediatric unit", "beds"});
		WARDS.put("TN", new String[] {"Khoa Truyền nhiễm", "INFD", "Infectious disease clinic", "beds"});
		WARDS.put("LAO", new String[] {"Khoa Lao và Bệnh phổi", "INFD", "Infectious disease clinic", "beds"});
		WARDS.put("UB", new String[] {"Khoa Ung bướu", "ONCL", "Medical oncology clinic", "beds"});
		WARDS.put("XN", new String[] {"Khoa Xét nghiệm", "INLAB", "inpatient laboratory", ""});
		WARDS.put("CDHA", new String[] {"Khoa Chẩn đoán hình ảnh", "RADDX", "Radiology diagnostics or therapeutics unit", ""});
		WARDS.put("PK", new String[] {"Phòng khám", "PC", "Primary care clinic", ""});
		WARDS.put("LUU", new String[] {"Phòng lưu bệnh nhân", "HU", "Hospital unit", "beds"});
	}

	private static final Map<String, String> QUALIFICATION = Map.of(
			"bac-sy", "Bác sỹ đa khoa",
			"y-sy", "Y sỹ đa khoa",
			"dieu-duong", "Cử nhân điều dưỡng",
			"ho-sinh", "Cao đẳng hộ sinh",
			"ky-thuat-y", "Cử nhân kỹ thuật y học",
			"luong-y", "Chứng chỉ lương y",
			"dinh-duong-lam-sang", "Cử nhân dinh dưỡng",
			"tam-ly-lam-sang", "Thạc sỹ tâm lý lâm sàng",
			"cap-cuu-vien-ngoai-vien", "Chứng chỉ cấp cứu ngoại viện");

	private static final List<String> SCHOOLS = List.of(
			"Trường Đại học Y Hà Nội", "Trường Đại học Y Dược Thành phố Hồ Chí Minh", "Trường Đại học Y Dược Huế",
			"Trường Đại học Y Dược Thái Bình", "Trường Đại học Y Dược Cần Thơ", "Trường Đại học Y Dược Hải Phòng",
			"Trường Đại học Điều dưỡng Nam Định", "Trường Đại học Kỹ thuật Y tế Hải Dương", "Học viện Quân y");

	private static final List<String> CLINIC_NAMES = List.of(
			"An Phúc", "Thiện Tâm", "Tâm Đức", "Bình An", "Hồng Phúc", "Việt Mỹ", "Minh Khang", "Đức Tín", "Phúc An",
			"Hòa Bình", "Nhân Ái", "Quốc Tế");
}
