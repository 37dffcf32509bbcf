package vn.ehealth.fhir.tests.disclosure;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * What the disclosure tests read: a synthetic health system (facilities with licences, quality results,
 * prices, staff and hours) stored in the shared server, and facilities of the test's own whose names
 * carry a random word, so a search can be checked to find them and nothing else.
 */
final class DisclosureData {

	static final long SEED = 3838;

	final SyntheticData synthetic = new SyntheticData(SEED, 2);
	final List<Resource> directory = synthetic.directory();
	/** A word no other facility's name has: every own facility's name ends with it. */
	final String marker = randomWord();

	private DisclosureData() {}

	static DisclosureData load(TestServer server) {
		DisclosureData data = new DisclosureData();
		// in order, 200 entries a transaction (later entries refer to earlier ones), as LoadData sends it: on the
		// suite's server, where another test may have stored the same directory already, one transaction of it all
		// makes HAPI prefetch 800 ids at once and trip its own assertion (BaseHapiFhirSystemDao, with -ea only)
		for (int from = 0; from < data.directory.size(); from += 200) {
			server.client().transaction().withBundle(SyntheticData.transaction(
					data.directory.subList(from, Math.min(data.directory.size(), from + 200)))).execute();
		}
		return data;
	}

	/** The first synthetic facility whose name starts so (e.g. "Bệnh viện Đa khoa tỉnh"). */
	Organization syntheticFacility(String namePrefix) {
		return directory.stream().filter(r -> r instanceof Organization o && o.getName().startsWith(namePrefix))
				.map(Organization.class::cast).findFirst().orElseThrow();
	}

	/** The resources of a type whose text mentions the reference (roles and prices of a facility). */
	<T extends Resource> List<T> of(Class<T> type, String reference) {
		List<T> found = new ArrayList<>();
		for (Resource resource : directory) {
			if (type.isInstance(resource) && TestServer.fhirContext().newJsonParser().encodeResourceToString(resource)
					.contains("\"" + reference + "\"")) {
				found.add(type.cast(resource));
			}
		}
		return found;
	}

	/** A health facility of the test's own: the facility code decides the province when there is no address. */
	static Organization facility(String name, String facilityCode, String addressState) {
		Organization organization = Fixtures.facility(name);
		organization.getIdentifier().stream().filter(i -> Fixtures.FACILITY_CODE_SYSTEM.equals(i.getSystem()))
				.forEach(i -> i.setValue(facilityCode));
		if (addressState != null) {
			organization.addAddress().setText("Số 1, " + addressState).setState(addressState).setCountry("VN");
		}
		return organization;
	}

	/** Stores new resources in one transaction; returns their ids in order. */
	static List<String> create(TestServer server, List<? extends Resource> resources) {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (Resource resource : resources) {
			bundle.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
		}
		Bundle response = server.client().transaction().withBundle(bundle).execute();
		return response.getEntry().stream()
				.map(e -> new org.hl7.fhir.r4.model.IdType(e.getResponse().getLocation()).getIdPart()).toList();
	}

	private static String randomWord() {
		Random random = new Random();
		StringBuilder word = new StringBuilder("qz");
		for (int i = 0; i < 8; i++) {
			word.append((char) ('a' + random.nextInt(26)));
		}
		return word.toString();
	}
}
