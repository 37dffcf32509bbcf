package vn.ehealth.fhir.server.disclosure;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Organization;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.server.terminology.VietnameseText;

/**
 * The facilities the index page lists and searches, held in memory: a few fields per health facility
 * (Organization of type {@code prov}), about 200 bytes each, so the country's facilities fit in a few
 * megabytes. Kept current by reading, before each search, the Organizations changed since the last
 * read ({@code _lastUpdated}); HAPI's own string search cannot do it, as it matches name prefixes only
 * ({@code :contains} is off) and folds neither "đ" nor word order. A full reload every hour drops
 * deleted facilities.
 */
final class FacilityIndex {

	/** One facility as listed: name, facility code, 2025 province code (or null), address text. */
	record Entry(String id, String name, String folded, String code, String provinceCode, String address) {}

	/** A page of the facilities matching a query, and how many match in all. */
	record Result(List<Entry> page, int total) {}

	private static final String PROVIDER_TYPE = "prov";
	private static final int CHUNK = 500;
	/**
	 * Changes are read again from this long before the newest one seen: a write stamped earlier but
	 * committed after the last read (a long transaction) is still picked up.
	 */
	private static final Duration OVERLAP = Duration.ofSeconds(30);
	private static final Duration FULL_RELOAD = Duration.ofHours(1);

	private final IFhirResourceDao<Organization> organizations;
	private final ProvinceNames provinces;
	private final Clock clock;
	private final Map<String, Entry> entries = new ConcurrentHashMap<>();
	private Instant newestSeen;
	private Instant lastFullLoad;

	FacilityIndex(IFhirResourceDao<Organization> organizations, ProvinceNames provinces, Clock clock) {
		this.organizations = organizations;
		this.provinces = provinces;
		this.clock = clock;
	}

	/** Facilities in the province (a 2025 code, or null for all) whose name has every word of the query. */
	Result search(String provinceCode, String nameQuery, int offset, int count) {
		refresh();
		List<Entry> matching = entries.values().stream()
				.filter(e -> provinceCode == null || provinceCode.equals(e.provinceCode()))
				.filter(e -> nameQuery == null || VietnameseText.matches(nameQuery, List.of(e.name())))
				.sorted(Comparator.comparing(Entry::folded).thenComparing(Entry::id))
				.toList();
		int from = Math.min(offset, matching.size());
		return new Result(matching.subList(from, Math.min(from + count, matching.size())), matching.size());
	}

	/** A facility the page for it found gone. */
	void forget(String id) {
		entries.remove(id);
	}

	private synchronized void refresh() {
		Instant now = clock.instant();
		boolean full = lastFullLoad == null || Duration.between(lastFullLoad, now).compareTo(FULL_RELOAD) > 0;
		SearchParameterMap changed = SearchParameterMap.newSynchronous();
		changed.setSort(new SortSpec("_lastUpdated"));
		if (!full && newestSeen != null) {
			changed.setLastUpdated(new DateRangeParam(Date.from(newestSeen.minus(OVERLAP)), null));
		}
		Map<String, Entry> loaded = new HashMap<>();
		for (int offset = 0; ; offset += CHUNK) {
			changed.setOffset(offset);
			changed.setCount(CHUNK);
			IBundleProvider found = organizations.search(changed, new SystemRequestDetails());
			List<IBaseResource> resources = found.getResources(0, CHUNK);
			for (IBaseResource resource : resources) {
				Organization organization = (Organization) resource;
				String id = organization.getIdElement().getIdPart();
				Entry entry = isFacility(organization) ? entry(id, organization) : null;
				loaded.put(id, entry);
				Date updated = organization.getMeta().getLastUpdated();
				if (updated != null && (newestSeen == null || updated.toInstant().isAfter(newestSeen))) {
					newestSeen = updated.toInstant();
				}
			}
			if (resources.size() < CHUNK) {
				break;
			}
		}
		if (full) {
			entries.clear();
			lastFullLoad = now;
		}
		loaded.forEach((id, entry) -> {
			if (entry == null) {
				entries.remove(id);
			} else {
				entries.put(id, entry);
			}
		});
	}

	/** A health facility (type {@code prov}, as {@code vn-org-3} says) that has not been marked inactive. */
	static boolean isFacility(Organization organization) {
		if (organization.hasActive() && !organization.getActive()) {
			return false;
		}
		return organization.getType().stream()
				.anyMatch(type -> type.getCoding().stream().anyMatch(coding -> PROVIDER_TYPE.equals(coding.getCode())));
	}

	private Entry entry(String id, Organization organization) {
		String code = organization.getIdentifier().stream()
				.filter(identifier -> IdentifierSystems.FACILITY_CODE.equals(identifier.getSystem()))
				.map(identifier -> identifier.getValue()).findFirst().orElse(null);
		String state = organization.hasAddress() ? organization.getAddressFirstRep().getState() : null;
		String province = provinces.of(state, code).map(ProvinceNames.Province::code).orElse(null);
		String address = organization.hasAddress() ? organization.getAddressFirstRep().getText() : null;
		String name = organization.hasName() ? organization.getName() : id;
		return new Entry(id, name, VietnameseText.fold(name), code, province, address);
	}
}
