package vn.ehealth.fhir.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.ehealth.fhir.profiles.identifier.LegacyProvinces;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The 63 provinces of the legacy list (the codes CCCD numbers, facility codes and BHYT cards carry),
 * with their population (2019 census, thousands, rounded) and region; names and the 2025 province
 * come from the guide's own code systems and concept map.
 */
final class Provinces {

	enum Region {
		NORTHERN_UPLANDS, RED_RIVER_DELTA, NORTH_CENTRAL, SOUTH_CENTRAL_COAST, CENTRAL_HIGHLANDS, SOUTHEAST, MEKONG_DELTA;

		/** South of the Hải Vân pass family names run Huỳnh and Võ rather than Hoàng and Vũ. */
		boolean south() {
			return ordinal() >= SOUTH_CENTRAL_COAST.ordinal();
		}
	}

	record Province(String code, String name, int populationThousands, Region region, String code2025, String name2025) {

		/** "Thành phố Hà Nội", "Tỉnh Nghệ An": the 2025 province as an address writes it. */
		String addressName2025() {
			return (CITIES_2025.contains(code2025) ? "Thành phố " : "Tỉnh ") + name2025;
		}

		/** As facility names write the legacy province: "tỉnh Thái Bình", "thành phố Hải Phòng". */
		String facilityName() {
			return (LEGACY_CITIES.contains(code) ? "thành phố " : "tỉnh ") + name;
		}
	}

	/** Centrally-run cities of the 2025 list. */
	private static final List<String> CITIES_2025 = List.of("01", "31", "46", "48", "79", "92");
	private static final List<String> LEGACY_CITIES = List.of("01", "31", "48", "79", "92");

	private static final Map<String, Province> BY_CODE = new LinkedHashMap<>();
	static final Weighted<Province> BY_POPULATION;

	static {
		Object[][] rows = {
			{"01", 8054, Region.RED_RIVER_DELTA}, {"02", 855, Region.NORTHERN_UPLANDS}, {"04", 531, Region.NORTHERN_UPLANDS},
			{"06", 314, Region.NORTHERN_UPLANDS}, {"08", 785, Region.NORTHERN_UPLANDS}, {"10", 731, Region.NORTHERN_UPLANDS},
			{"11", 599, Region.NORTHERN_UPLANDS}, {"12", 461, Region.NORTHERN_UPLANDS}, {"14", 1249, Region.NORTHERN_UPLANDS},
			{"15", 822, Region.NORTHERN_UPLANDS}, {"17", 855, Region.NORTHERN_UPLANDS}, {"19", 1287, Region.NORTHERN_UPLANDS},
			{"20", 782, Region.NORTHERN_UPLANDS}, {"22", 1321, Region.RED_RIVER_DELTA}, {"24", 1804, Region.NORTHERN_UPLANDS},
			{"25", 1464, Region.NORTHERN_UPLANDS}, {"26", 1152, Region.RED_RIVER_DELTA}, {"27", 1369, Region.RED_RIVER_DELTA},
			{"30", 1893, Region.RED_RIVER_DELTA}, {"31", 2029, Region.RED_RIVER_DELTA}, {"33", 1253, Region.RED_RIVER_DELTA},
			{"34", 1861, Region.RED_RIVER_DELTA}, {"35", 853, Region.RED_RIVER_DELTA}, {"36", 1781, Region.RED_RIVER_DELTA},
			{"37", 983, Region.RED_RIVER_DELTA}, {"38", 3641, Region.NORTH_CENTRAL}, {"40", 3328, Region.NORTH_CENTRAL},
			{"42", 1289, Region.NORTH_CENTRAL}, {"44", 896, Region.NORTH_CENTRAL}, {"45", 633, Region.NORTH_CENTRAL},
			{"46", 1129, Region.NORTH_CENTRAL}, {"48", 1135, Region.SOUTH_CENTRAL_COAST}, {"49", 1496, Region.SOUTH_CENTRAL_COAST},
			{"51", 1232, Region.SOUTH_CENTRAL_COAST}, {"52", 1487, Region.SOUTH_CENTRAL_COAST}, {"54", 873, Region.SOUTH_CENTRAL_COAST},
			{"56", 1232, Region.SOUTH_CENTRAL_COAST}, {"58", 591, Region.SOUTH_CENTRAL_COAST}, {"60", 1231, Region.SOUTH_CENTRAL_COAST},
			{"62", 541, Region.CENTRAL_HIGHLANDS}, {"64", 1514, Region.CENTRAL_HIGHLANDS}, {"66", 1870, Region.CENTRAL_HIGHLANDS},
			{"67", 623, Region.CENTRAL_HIGHLANDS}, {"68", 1297, Region.CENTRAL_HIGHLANDS}, {"70", 995, Region.SOUTHEAST},
			{"72", 1169, Region.SOUTHEAST}, {"74", 2456, Region.SOUTHEAST}, {"75", 3097, Region.SOUTHEAST},
			{"77", 1149, Region.SOUTHEAST}, {"79", 8993, Region.SOUTHEAST}, {"80", 1689, Region.MEKONG_DELTA},
			{"82", 1765, Region.MEKONG_DELTA}, {"83", 1289, Region.MEKONG_DELTA}, {"84", 1010, Region.MEKONG_DELTA},
			{"86", 1023, Region.MEKONG_DELTA}, {"87", 1600, Region.MEKONG_DELTA}, {"89", 1908, Region.MEKONG_DELTA},
			{"91", 1724, Region.MEKONG_DELTA}, {"92", 1236, Region.MEKONG_DELTA}, {"93", 734, Region.MEKONG_DELTA},
			{"94", 1200, Region.MEKONG_DELTA}, {"95", 907, Region.MEKONG_DELTA}, {"96", 1194, Region.MEKONG_DELTA},
		};
		Map<Province, Integer> weights = new LinkedHashMap<>();
		for (Object[] row : rows) {
			String code = (String) row[0];
			String code2025 = VnTerminology.provinceFromLegacy(code).orElseThrow();
			Province province = new Province(
					code,
					VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, code).orElseThrow(),
					(Integer) row[1],
					(Region) row[2],
					code2025,
					VnTerminology.display(VnCodeSystem.PROVINCE, code2025).orElseThrow());
			BY_CODE.put(code, province);
			weights.put(province, province.populationThousands());
		}
		if (!BY_CODE.keySet().equals(LegacyProvinces.CODES)) {
			throw new IllegalStateException("province table out of step with the 63-province list");
		}
		BY_POPULATION = Weighted.of(weights);
	}

	private Provinces() {}

	static Province get(String legacyCode) {
		Province province = BY_CODE.get(legacyCode);
		if (province == null) {
			throw new IllegalArgumentException("not a legacy province code: " + legacyCode);
		}
		return province;
	}
}
