package vn.ehealth.fhir.server.sync;

/** A sync run that could not finish; its high-water mark stays where it was, so the next run repeats it. */
public class SyncFailure extends RuntimeException {

	SyncFailure(String message) {
		super(message);
	}
}
