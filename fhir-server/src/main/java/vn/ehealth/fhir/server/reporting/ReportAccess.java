package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.Refusals;

/**
 * What a report's caller may see, from the access the security layer settled on the request (which
 * already required read on MeasureReport): statistics only for the purpose of use PUBHLTH (Circular
 * 38/2024/TT-BYT: data used only for the purpose registered), and small cells only with Patient.r.
 */
final class ReportAccess {

	static final String PUBLIC_HEALTH = "PUBHLTH";

	private ReportAccess() {}

	/** 403 unless the request's purpose of use is PUBHLTH; nothing to check with security off. */
	static void requirePublicHealth(RequestDetails request) {
		AccessControlInterceptor.Access access = access(request);
		if (access != null && !PUBLIC_HEALTH.equals(access.purpose())) {
			throw Refusals.forbidden("Số liệu thống kê chỉ dành cho mục đích sử dụng " + PUBLIC_HEALTH + " (header X-Purpose-Of-Use)"
					+ ", không phải " + access.purpose() + " / Statistics are for the purpose of use " + PUBLIC_HEALTH
					+ " only, not " + access.purpose(), null);
		}
	}

	/** Whether the caller may read patients (Patient.r), and so see cells below the threshold. */
	static boolean patientLevel(RequestDetails request) {
		AccessControlInterceptor.Access access = access(request);
		return access != null && access.token().scopes().allows("Patient", 'r');
	}

	private static AccessControlInterceptor.Access access(RequestDetails request) {
		return (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
	}
}
