package vn.ehealth.fhir.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessResourceFailureException;

/** A full disk (or memory, or connections) on the database side: 503 naming the cause, not 500. */
class DatabaseOutOfResourcesIs503Test {

	private final DatabaseOutOfResourcesIs503 hook = new DatabaseOutOfResourcesIs503();

	/** The error as PostgreSQL sends it on the wire (severity, SQLSTATE, message fields). */
	private static PSQLException fromServer(String sqlState, String message) {
		return new PSQLException(new ServerErrorMessage("SERROR\u0000C" + sqlState + "\u0000M" + message + "\u0000"));
	}

	@Test
	void aFullDiskUnderTheStorageLayersIs503NoStore() {
		PSQLException full = fromServer("53100", "could not extend file \"base/16384/2619\": No space left on device");
		Throwable wrapped = new InternalErrorException("HAPI-0000: transaction failed",
				new DataAccessResourceFailureException("could not execute batch", full));

		BaseServerResponseException answer = hook.mapOutOfResources(wrapped);

		assertThat(answer).isNotNull();
		assertThat(answer.getStatusCode()).isEqualTo(503);
		assertThat(answer.getMessage()).contains("hết tài nguyên").contains("SQLSTATE 53100 disk_full")
				.doesNotContain("base/16384"); // the database's file names stay in the log
		OperationOutcome outcome = (OperationOutcome) answer.getOperationOutcome();
		assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOSTORE);
	}

	@Test
	void tooManyConnectionsIsOneOfThem() {
		assertThat(hook.mapOutOfResources(fromServer("53300", "sorry, too many clients already")).getMessage())
				.contains("too_many_connections");
	}

	@Test
	void aSearchThreadKeepsOnlyTheMessageAndItIsRecognised() {
		Throwable searchFailure = new InternalErrorException(
				"HAPI-1163: Failed to execute search: ERROR: could not extend file \"base/16384/24601.1\": No space left on device");
		assertThat(hook.mapOutOfResources(searchFailure).getMessage()).contains("disk_full");
	}

	@Test
	void otherDatabaseErrorsAreLeftToTheOtherHooks() {
		assertThat(hook.mapOutOfResources(fromServer("23505", "duplicate key value violates unique constraint"))).isNull();
		assertThat(hook.mapOutOfResources(fromServer("57014", "canceling statement due to statement timeout"))).isNull();
		assertThat(hook.mapOutOfResources(new IllegalStateException("boom"))).isNull();
	}
}
