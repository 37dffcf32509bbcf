package vn.ehealth.fhir.server.validation;

/** What a write of a resource type that breaks its profile gets. */
enum ValidationMode {
	/** Refuse a write that breaks the profile: 422 with every error, nothing stored. */
	ENFORCE,
	/** Store the write and report the issues (response header, and the OperationOutcome on request). */
	WARN,
	/** Do not validate writes of this type. */
	OFF
}
