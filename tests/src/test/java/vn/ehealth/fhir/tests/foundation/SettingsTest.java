package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import vn.ehealth.fhir.server.sync.SyncSettings;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The server's settings are a checked contract (docs/configuration.md): a misspelt key or an invalid
 * value stops the start before the database or HAPI start, with a message naming the key; a renamed
 * key still works and the log names its new name.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsTest {

	@Test
	void misspeltKeyStopsTheStartNamingTheKeyAndTheKeyMeant() {
		assertThat(startFailure(Map.of("vietfhir.validation.defualt-mode", "off")))
				.contains("vietfhir.validation.defualt-mode: khóa không tồn tại / unknown key")
				.contains("did you mean vietfhir.validation.default-mode?");
	}

	@Test
	void misspeltKeyInASystemPropertyStopsTheStart() {
		System.setProperty("vietfhir.fhir.max-sort-kes", "3");
		try {
			assertThat(startFailure(Map.of()))
					.contains("vietfhir.fhir.max-sort-kes")
					.contains("[systemProperties]");
		} finally {
			System.clearProperty("vietfhir.fhir.max-sort-kes");
		}
	}

	@Test
	void valueOutsideItsRangeStopsTheStartNamingTheKey() {
		assertThat(startFailure(Map.of("vietfhir.fhir.max-page-size", "0")))
				.contains("vietfhir.fhir.max-page-size = '0': giá trị không hợp lệ / invalid value");
	}

	@Test
	void valueThatIsNotAChoiceStopsTheStartNamingTheKey() {
		assertThat(startFailure(Map.of("vietfhir.validation.default-mode", "sometimes")))
				.contains("vietfhir.validation.default-mode = 'sometimes'");
	}

	@Test
	void oldSyncKeyStillWorksAndTheLogNamesItsNewName(CapturedOutput output) {
		TestServer server = TestServer.start("vietfhir-settings-", Map.of("vietfhir.bulk-import.sync.overlap", "7m"));
		try {
			assertThat(server.context().getBean(SyncSettings.class).overlap()).isEqualTo(Duration.ofMinutes(7));
			assertThat(output.getAll())
					.contains("vietfhir.bulk-import.sync.overlap is renamed vietfhir.sync.overlap");
		} finally {
			server.stop();
		}
	}

	/** The message of what stopped a start with these settings (the server must not start). */
	private static String startFailure(Map<String, Object> properties) {
		Throwable failure = catchThrowable(() -> TestServer.start("vietfhir-settings-", properties).stop());
		assertThat(failure).as("the start fails").isNotNull();
		return NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
	}
}
