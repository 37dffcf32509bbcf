package vn.ehealth.fhir.server.signature;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Signature;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.ClientRegistry;
import vn.ehealth.fhir.server.security.PurposeOfUse;
import vn.ehealth.fhir.server.security.RegisteredClient;

/**
 * Signed submissions (Decision 2955/QĐ-BYT: digital signatures; Circular 38/2024: sharing that prevents
 * forgery). A facility may sign a transaction bundle ({@link BundleSignatures}); the server verifies the
 * signature against the submitting client's registered keys before anything is stored and adds to the
 * same transaction a Provenance whose targets are the resources the bundle creates or updates, whose
 * agent is the client acting for its facility, and whose signature is the verified one. A signature
 * that does not verify refuses the whole bundle (422, nothing stored). A client registered with
 * {@code signature_required} must sign every transaction, and may not write any other way.
 */
public class SignedSubmissionInterceptor {

	private static final Set<RestOperationTypeEnum> OTHER_WRITES = Set.of(
			RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH,
			RestOperationTypeEnum.DELETE, RestOperationTypeEnum.BATCH);
	static final String CLIENT_SYSTEM = "urn:vietfhir:client";

	private final ClientRegistry registry;
	private final DaoRegistry daos;

	SignedSubmissionInterceptor(ClientRegistry registry, DaoRegistry daos) {
		this.registry = registry;
		this.daos = daos;
	}

	/** After the access control, which names the client. */
	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = RequestPipeline.PreHandled.SIGNED_SUBMISSION)
	public void check(RequestDetails request, RestOperationTypeEnum operation) {
		var access = (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
		if (access == null || access.clientId() == null) {
			return; // security off, or the public directory
		}
		RegisteredClient client = registry.findCached(access.clientId()).orElse(null);
		boolean required = client != null && client.signatureRequired();
		boolean signed = request.getResource() instanceof Bundle bundle && bundle.hasSignature();
		if (operation == RestOperationTypeEnum.TRANSACTION) {
			if (signed) {
				verifyAndRecord(request, (Bundle) request.getResource(), client, access);
			} else if (required) {
				throw refused("Client " + access.clientId() + " must sign its transaction bundles (Bundle.signature, "
						+ "JWS with detached payload by one of its registered keys); this one carries no signature");
			}
		} else if (operation == RestOperationTypeEnum.BATCH && signed) {
			throw refused("Signatures are verified on transaction bundles only: send the signed bundle as type transaction");
		} else if (required && OTHER_WRITES.contains(operation)) {
			throw refused("Client " + access.clientId() + " must submit its data as signed transaction bundles");
		} else if (required && "$import".equals(request.getOperation())) {
			// NDJSON lines carry no signature: bulk import would be an unsigned way in
			throw refused("Client " + access.clientId() + " must submit its data as signed transaction bundles; "
					+ "$import takes unsigned NDJSON and is not open to it");
		}
	}

	private void verifyAndRecord(RequestDetails request, Bundle bundle, RegisteredClient client, AccessControlInterceptor.Access access) {
		if (client == null) {
			throw refused("The client " + access.clientId() + " has no registered keys to verify the bundle's signature with");
		}
		String contentType = request.getHeader("Content-Type");
		if (contentType == null || EncodingEnum.forContentType(contentType) != EncodingEnum.JSON) {
			throw refused("A signed bundle must be sent as JSON (application/fhir+json): the signature covers its JSON canonical form");
		}
		Signature signature = bundle.getSignature();
		boolean authorSignature = signature.getType().stream()
				.anyMatch(c -> BundleSignatures.TYPE_SYSTEM.equals(c.getSystem()) && BundleSignatures.AUTHOR_SIGNATURE.equals(c.getCode()));
		if (!authorSignature) {
			throw refused("Bundle.signature.type must include " + BundleSignatures.TYPE_SYSTEM + "#" + BundleSignatures.AUTHOR_SIGNATURE
					+ " (author's signature)");
		}
		if (!BundleSignatures.SIG_FORMAT.equals(signature.getSigFormat())) {
			throw refused("Bundle.signature.sigFormat must be " + BundleSignatures.SIG_FORMAT);
		}
		String who = signature.getWho().getReference();
		if (who == null || !who.matches("Organization/[A-Za-z0-9.-]{1,64}")) {
			throw refused("Bundle.signature.who must reference the signing facility as Organization/<id>");
		}
		if (client.facility() != null && !client.facility().equals(who)) {
			throw refused("Bundle.signature.who is " + who + " but client " + client.clientId() + " acts for " + client.facility());
		}
		if (!facilityKnown(who, bundle)) {
			throw refused("The signing facility " + who + " is not on this server: publish its Organization first (or in this bundle)");
		}
		if (!signature.hasData()) {
			throw refused("Bundle.signature.data must hold the JWS (base64)");
		}
		byte[] payload;
		try {
			payload = BundleSignatures.payload(new String(request.loadRequestContents(), StandardCharsets.UTF_8));
		} catch (JsonProcessingException | IllegalArgumentException e) {
			throw refused("The signed bundle's JSON cannot be put in canonical form: " + e.getMessage());
		}
		try {
			BundleSignatures.verifyDetached(new String(signature.getData(), StandardCharsets.US_ASCII), payload, client.jwks());
		} catch (BundleSignatures.InvalidSignature e) {
			throw refused("Chữ ký không hợp lệ / The bundle's signature does not verify: " + e.getMessage() + ". Nothing was stored.");
		}
		Bundle.BundleEntryComponent provenance = provenanceEntry(bundle, signature, client, access);
		if (((Provenance) provenance.getResource()).hasTarget()) {
			bundle.addEntry(provenance); // a bundle that only reads or deletes leaves nothing to attribute
		}
	}

	/** The facility Organization is stored already, or written by this same bundle. */
	private boolean facilityKnown(String who, Bundle bundle) {
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			if (entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT && who.equals(entry.getRequest().getUrl())) {
				return true;
			}
		}
		IFhirResourceDao<?> organizations = daos.getResourceDao("Organization");
		try {
			organizations.read(new IdType(who), new SystemRequestDetails());
			return true;
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return false;
		}
	}

	/**
	 * The Provenance, as one more entry of the same transaction: a PUT with a new id, so HAPI writes it
	 * after the bundle's own creates and updates and has resolved their placeholder ids by then.
	 */
	private Bundle.BundleEntryComponent provenanceEntry(
			Bundle bundle, Signature signature, RegisteredClient client, AccessControlInterceptor.Access access) {
		Provenance provenance = new Provenance();
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			Reference target = target(entry);
			if (target != null) {
				provenance.addTarget(target);
			}
		}
		provenance.setRecorded(new Date());
		if (access.purpose() != null) {
			provenance.addReason(new CodeableConcept(new Coding(PurposeOfUse.SYSTEM, access.purpose(), null)));
		}
		Provenance.ProvenanceAgentComponent agent = provenance.addAgent();
		agent.setType(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")));
		agent.setWho(new Reference()
				.setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue(client.clientId()))
				.setDisplay(client.name()));
		agent.setOnBehalfOf(new Reference(signature.getWho().getReference()));
		provenance.addSignature(signature.copy());

		String id = "sig-" + UUID.randomUUID();
		Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
		provenance.setId(id);
		entry.setResource(provenance);
		entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Provenance/" + id);
		return entry;
	}

	/** What an entry creates or updates, as a reference HAPI resolves when it commits; null for reads and deletes. */
	private static Reference target(Bundle.BundleEntryComponent entry) {
		Bundle.HTTPVerb method = entry.getRequest().getMethod();
		String url = entry.getRequest().getUrl();
		if (method == null || url == null || method == Bundle.HTTPVerb.GET || method == Bundle.HTTPVerb.HEAD
				|| method == Bundle.HTTPVerb.DELETE || url.contains("$")) {
			return null;
		}
		if ((method == Bundle.HTTPVerb.PUT || method == Bundle.HTTPVerb.PATCH) && url.matches("[A-Z][A-Za-z]+/[A-Za-z0-9.-]{1,64}")) {
			return new Reference(url);
		}
		if (method == Bundle.HTTPVerb.PATCH) {
			return null; // a conditional patch: its target is known only once HAPI resolves it
		}
		if (!entry.hasFullUrl() || !entry.getFullUrl().startsWith("urn:")) {
			// a placeholder for HAPI to replace with the id it assigns (no other entry refers to it)
			entry.setFullUrl("urn:uuid:" + UUID.randomUUID());
		}
		return new Reference(entry.getFullUrl());
	}

	private static UnprocessableEntityException refused(String message) {
		return new UnprocessableEntityException(message, OperationOutcomes.error("security", message));
	}
}
