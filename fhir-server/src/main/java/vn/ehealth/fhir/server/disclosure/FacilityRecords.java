package vn.ehealth.fhir.server.disclosure;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ChargeItemDefinition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.UsageContext;
import vn.ehealth.fhir.server.security.PublicReadPolicy;

/**
 * What one facility's page shows, read through HAPI's DAOs and passed through the public directory's
 * view (no personal identifiers, no practitioner's birth date), and only for the types the public
 * directory serves: an operator who takes {@code ChargeItemDefinition} out of it takes the prices off
 * the page too.
 *
 * <p>Staff: the facility's active {@code PractitionerRole}s and their {@code Practitioner}s. Prices:
 * the {@code ChargeItemDefinition}s whose {@code useContext} of type {@code venue} names the facility
 * ({@code valueReference}); no search parameter indexes that reference, so they are found by their
 * {@code publisher} (the facility's name, exactly) and then kept only when the venue is this facility.
 */
final class FacilityRecords {

	record Facility(Organization organization, List<Staff> staff, List<ChargeItemDefinition> prices,
			boolean staffPublic, boolean pricesPublic) {}

	/** A role at the facility and its practitioner (null when not found or not public). */
	record Staff(PractitionerRole role, Practitioner practitioner) {}

	private static final String VENUE = "venue";
	/** More than any facility lists: a page is not paginated. */
	private static final int MAX_ROWS = 2_000;

	private final DaoRegistry daos;
	private final PublicReadPolicy publicRead;

	FacilityRecords(DaoRegistry daos, PublicReadPolicy publicRead) {
		this.daos = daos;
		this.publicRead = publicRead;
	}

	boolean isPublic(String type) {
		return publicRead.isPublicType(type);
	}

	/** The facility with this id, or empty when there is none (or it is not a health facility). */
	Optional<Facility> load(String id) {
		Organization organization;
		try {
			organization = (Organization) publicRead.publicView(
					daos.getResourceDao(Organization.class).read(new IdType("Organization", id), new SystemRequestDetails()));
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return Optional.empty();
		}
		if (!FacilityIndex.isFacility(organization)) {
			return Optional.empty();
		}
		String reference = "Organization/" + organization.getIdElement().getIdPart();
		boolean staffPublic = isPublic("PractitionerRole") && isPublic("Practitioner");
		boolean pricesPublic = isPublic("ChargeItemDefinition");
		List<Staff> staff = staffPublic ? staff(reference) : List.of();
		List<ChargeItemDefinition> prices = pricesPublic && organization.hasName() ? prices(organization, reference) : List.of();
		return Optional.of(new Facility(organization, staff, prices, staffPublic, pricesPublic));
	}

	private List<Staff> staff(String organization) {
		SearchParameterMap byOrganization = SearchParameterMap.newSynchronous("organization", new ReferenceParam(organization));
		byOrganization.addInclude(new Include("PractitionerRole:practitioner"));
		byOrganization.setCount(MAX_ROWS);
		List<PractitionerRole> roles = new ArrayList<>();
		Map<String, Practitioner> practitioners = new LinkedHashMap<>();
		for (IBaseResource found : daos.getResourceDao(PractitionerRole.class)
				.search(byOrganization, new SystemRequestDetails()).getAllResources()) {
			IBaseResource shown = publicRead.publicView(found);
			if (shown instanceof PractitionerRole role && (!role.hasActive() || role.getActive())) {
				roles.add(role);
			} else if (shown instanceof Practitioner practitioner) {
				practitioners.put("Practitioner/" + practitioner.getIdElement().getIdPart(), practitioner);
			}
		}
		List<Staff> staff = new ArrayList<>();
		for (PractitionerRole role : roles) {
			String practitioner = role.getPractitioner().getReferenceElement().toUnqualifiedVersionless().getValue();
			staff.add(new Staff(role, practitioners.get(practitioner)));
		}
		return staff;
	}

	private List<ChargeItemDefinition> prices(Organization organization, String reference) {
		SearchParameterMap byPublisher =
				SearchParameterMap.newSynchronous("publisher", new StringParam(organization.getName(), true));
		byPublisher.setCount(MAX_ROWS);
		List<ChargeItemDefinition> prices = new ArrayList<>();
		for (IBaseResource found : daos.getResourceDao(ChargeItemDefinition.class)
				.search(byPublisher, new SystemRequestDetails()).getAllResources()) {
			ChargeItemDefinition price = (ChargeItemDefinition) publicRead.publicView(found);
			if (price.getStatus() != org.hl7.fhir.r4.model.Enumerations.PublicationStatus.RETIRED
					&& price.getUseContext().stream().anyMatch(context -> isVenue(context, reference))) {
				prices.add(price);
			}
		}
		return prices;
	}

	private static boolean isVenue(UsageContext context, String organization) {
		return context.hasCode() && VENUE.equals(context.getCode().getCode()) && context.hasValueReference()
				&& organization.equals(context.getValueReference().getReferenceElement().toUnqualifiedVersionless().getValue());
	}
}
