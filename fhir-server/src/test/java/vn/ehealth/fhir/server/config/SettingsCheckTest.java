package vn.ehealth.fhir.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import vn.ehealth.fhir.server.VietFhirApplication;

class SettingsCheckTest {

	private static final SpringApplication APPLICATION = new SpringApplication(VietFhirApplication.class);

	@Test
	void acceptsNoSettingsAtAll() {
		check(Map.of(), Map.of());
	}

	@Test
	void acceptsListsMapsAndListsOfClientsAsTheSuiteWritesThem() {
		Map<String, Object> given = new LinkedHashMap<>();
		given.put("vietfhir.data-dir", "/tmp/x");
		given.put("vietfhir.validation.modes.Practitioner", "warn");
		given.put("vietfhir.validation.modes[Procedure]", "off");
		given.put("vietfhir.validation.extra-packages[0]", "/tmp/ips.tgz");
		given.put("vietfhir.security.bootstrap-clients[0].client-id", "his");
		given.put("vietfhir.security.bootstrap-clients[0].scopes", "system/*.rs");
		given.put("vietfhir.security.bootstrap-clients[1].daily-patient-limit", "0");
		given.put("vietfhir.security.bootstrap-clients[1].client-id", "lab");
		given.put("vietfhir.fhir.cors.allowed-origins[0]", "https://emr.benhvien.vn");
		given.put("vietfhir.fhir.admin-operations", "expunge,reindex");
		given.put("vietfhir.fhir.maxPageSize", "100");
		given.put("vietfhir.web-test-page", "false");
		check(given, Map.of());
	}

	@Test
	void refusesMisspeltKeyNamingItAndTheKeyMeant() {
		assertThatThrownBy(() -> check(Map.of("vietfhir.validation.defualt-mode", "off"), Map.of()))
				.hasMessageContaining("vietfhir.validation.defualt-mode: khóa không tồn tại / unknown key")
				.hasMessageContaining("did you mean vietfhir.validation.default-mode?");
	}

	@Test
	void refusesUnknownKeyUnderAListOfClients() {
		assertThatThrownBy(() -> check(Map.of("vietfhir.security.bootstrap-clients[0].client-idd", "his"), Map.of()))
				.hasMessageContaining("vietfhir.security.bootstrap-clients[0].client-idd");
	}

	@Test
	void readsEnvironmentVariablesWithOrWithoutUnderscoresForDashes() {
		check(Map.of(), Map.of("VIETFHIR_DATA_DIR", "/srv", "VIETFHIR_FHIR_MAXPAGESIZE", "100",
				"VIETFHIR_SECURITY_BOOTSTRAP_CLIENTS_0_CLIENT_ID", "his", "VIETFHIR_VALIDATION_MODES_OBSERVATION", "warn"));
		assertThatThrownBy(() -> check(Map.of(), Map.of("VIETFHIR_FHIR_MAX_PAGE_SIZ", "100")))
				.hasMessageContaining("VIETFHIR_FHIR_MAX_PAGE_SIZ")
				.hasMessageContaining("did you mean vietfhir.fhir.max-page-size?");
	}

	@Test
	void ignoresOtherSettings() {
		check(Map.of("spring.datasource.url", "jdbc:postgresql://db/x", "vietfhirx.foo", "1"), Map.of("PATH", "/bin"));
	}

	@Test
	void refusesValueOutsideItsRangeNamingTheKey() {
		assertThatThrownBy(() -> check(Map.of("vietfhir.fhir.max-page-size", "0"), Map.of()))
				.hasMessageContaining("vietfhir.fhir.max-page-size = '0': giá trị không hợp lệ / invalid value");
	}

	@Test
	void refusesValueThatIsNotOneOfTheChoicesNamingTheKey() {
		assertThatThrownBy(() -> check(Map.of("vietfhir.validation.default-mode", "sometimes"), Map.of()))
				.hasMessageContaining("vietfhir.validation.default-mode = 'sometimes'");
		assertThatThrownBy(() -> check(Map.of("vietfhir.security.token-algorithm", "HS256"), Map.of()))
				.hasMessageContaining("vietfhir.security.token-algorithm = 'HS256'");
	}

	@Test
	void refusesBootstrapClientWithoutId() {
		assertThatThrownBy(() -> check(Map.of("vietfhir.security.bootstrap-clients[0].name", "HIS"), Map.of()))
				.hasMessageContaining("vietfhir.security.bootstrap-clients[0].client-id");
	}

	@Test
	void readsOldSyncKeysUnderTheirNewNames() {
		StandardEnvironment environment = check(
				Map.of("vietfhir.bulk-import.sync.enabled", "true"),
				Map.of("VIETFHIR_BULK_IMPORT_SYNC_SOURCE_BASE_URL", "https://fhir.soyte.hanoi.gov.vn/fhir"));
		assertThat(environment.getProperty("vietfhir.sync.enabled")).isEqualTo("true");
		assertThat(environment.getProperty("vietfhir.sync.source-base-url")).isEqualTo("https://fhir.soyte.hanoi.gov.vn/fhir");
	}

	@Test
	void newSyncKeyGivenWithMorePrecedenceWins() {
		Map<String, Object> commandLine = Map.of("vietfhir.sync.interval", "1h");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("commandLine", commandLine));
		environment.getPropertySources().addLast(new MapPropertySource("yaml", Map.of("vietfhir.bulk-import.sync.interval", "5m")));
		new SettingsCheck(destination -> destination.get()).postProcessEnvironment(environment, APPLICATION);
		assertThat(environment.getProperty("vietfhir.sync.interval")).isEqualTo("1h");
	}

	@Test
	void refusesMisspeltOldSyncKey() {
		assertThatThrownBy(() -> check(Map.of("vietfhir.bulk-import.sync.enabeld", "true"), Map.of()))
				.hasMessageContaining("vietfhir.bulk-import.sync.enabeld");
	}

	private static StandardEnvironment check(Map<String, Object> properties, Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		environment.getPropertySources().addLast(
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		new SettingsCheck(destination -> destination.get()).postProcessEnvironment(environment, APPLICATION);
		return environment;
	}
}
