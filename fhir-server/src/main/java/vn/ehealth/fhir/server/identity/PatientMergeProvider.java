package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.jpa.api.svc.IMergeOperationProviderSvc;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code Patient/$merge} (the FHIR R5 operation, http://hl7.org/fhir/OperationDefinition/Patient-merge,
 * on R4) and its undo {@code Patient/$unmerge}, carried out by HAPI's merge service
 * ({@code ResourceMergeService}, {@code ResourceUndoMergeService}): every resource referring to the
 * source is changed to refer to the target in one transaction (or, above {@code resource-limit}
 * resources, an asynchronous job answered with 202 and a Task); the source becomes inactive with a
 * {@code replaced-by} link, the target gets a {@code replaces} link and the source's identifiers
 * (as {@code use=old}); a Provenance names the versions changed, the agent ({@link MergeAgents}) and,
 * contained, the request with its {@code reason}. {@code $unmerge} takes the same source and target
 * and puts every resource the Provenance names back to its version before the merge. The source is
 * never deleted ({@code delete-source} is refused): Circular 46/2018 keeps medical records.
 * Only the {@code system/Patient.merge} or admin scope may call either (security).
 */
public class PatientMergeProvider {

	static final String MERGE = "http://hl7.org/fhir/OperationDefinition/Patient-merge";
	static final String UNMERGE = "https://vietfhir.org/fhir/OperationDefinition/Patient-unmerge";

	private final IMergeOperationProviderSvc merges;

	PatientMergeProvider(IMergeOperationProviderSvc merges) {
		this.merges = merges;
	}

	@Operation(name = "$merge", typeName = "Patient", canonicalUrl = MERGE)
	public IBaseParameters merge(
			ServletRequestDetails request,
			@OperationParam(name = "source-patient-identifier", typeName = "Identifier") List<IBase> sourceIdentifiers,
			@OperationParam(name = "target-patient-identifier", typeName = "Identifier") List<IBase> targetIdentifiers,
			@OperationParam(name = "source-patient", max = 1) IBaseReference source,
			@OperationParam(name = "target-patient", max = 1) IBaseReference target,
			@OperationParam(name = "preview", typeName = "boolean", max = 1) IPrimitiveType<Boolean> preview,
			@OperationParam(name = "delete-source", typeName = "boolean", max = 1) IPrimitiveType<Boolean> deleteSource,
			@OperationParam(name = "result-patient", max = 1) IBaseResource result,
			@OperationParam(name = "resource-limit", typeName = "unsignedInt", max = 1) IPrimitiveType<Integer> resourceLimit,
			@OperationParam(name = "reason", typeName = "string", max = 1) IPrimitiveType<String> reason) {
		if (deleteSource != null && Boolean.TRUE.equals(deleteSource.getValue())) {
			throw new InvalidRequestException("Không xoá hồ sơ nguồn khi gộp: hồ sơ bệnh án phải được lưu giữ (Thông tư 46/2018/TT-BYT);"
					+ " hồ sơ nguồn được đánh dấu không còn hiệu lực / delete-source is not offered: medical records are kept,"
					+ " the source becomes inactive instead");
		}
		if (!(request.getResource() instanceof Parameters)) {
			throw new InvalidRequestException("$merge nhận một Parameters trong thân yêu cầu (POST) / $merge takes a Parameters body (POST)");
		}
		return merges.merge(sourceIdentifiers, targetIdentifiers, source, target, preview, null, result, resourceLimit, request);
	}

	@Operation(name = "$unmerge", typeName = "Patient", canonicalUrl = UNMERGE)
	public IBaseParameters unmerge(
			ServletRequestDetails request,
			@OperationParam(name = "source-patient-identifier", typeName = "Identifier") List<IBase> sourceIdentifiers,
			@OperationParam(name = "target-patient-identifier", typeName = "Identifier") List<IBase> targetIdentifiers,
			@OperationParam(name = "source-patient", max = 1) IBaseReference source,
			@OperationParam(name = "target-patient", max = 1) IBaseReference target,
			@OperationParam(name = "reason", typeName = "string", max = 1) IPrimitiveType<String> reason) {
		if (!(request.getResource() instanceof Parameters)) {
			throw new InvalidRequestException("$unmerge nhận một Parameters trong thân yêu cầu (POST) / $unmerge takes a Parameters body (POST)");
		}
		return merges.undoMerge(sourceIdentifiers, targetIdentifiers, source, target, request);
	}
}
