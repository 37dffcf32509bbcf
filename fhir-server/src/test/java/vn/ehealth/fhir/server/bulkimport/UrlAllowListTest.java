package vn.ehealth.fhir.server.bulkimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The addresses $import may fetch from (vietfhir.bulk-import.allowed-url-prefixes): a client must not
 * make the server fetch an address of its choosing (server-side request forgery).
 */
class UrlAllowListTest {

	private final UrlAllowList allowList = new UrlAllowList(List.of("https://files.soyte.hanoi.gov.vn/exports", "http://10.0.0.5:8080/ndjson/"));

	@ParameterizedTest
	@ValueSource(strings = {
		"https://files.soyte.hanoi.gov.vn/exports",
		"https://files.soyte.hanoi.gov.vn/exports/2026/Patient-1.ndjson",
		"https://FILES.soyte.hanoi.gov.vn:443/exports/Patient-1.ndjson",
		"HTTPS://files.soyte.hanoi.gov.vn/exports/a/../Patient-1.ndjson",
		"http://10.0.0.5:8080/ndjson/Observation-1.ndjson?_format=ndjson",
	})
	void allowsUrlsUnderAConfiguredPrefix(String url) {
		assertThat(allowList.refusal(url)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = {
		"https://files.soyte.hanoi.gov.vn/exports-private/Patient-1.ndjson", // shares the text, not the path
		"https://files.soyte.hanoi.gov.vn/admin",
		"https://files.soyte.hanoi.gov.vn/exports/../admin", // climbs out of the prefix
		"http://files.soyte.hanoi.gov.vn/exports/Patient-1.ndjson", // another scheme
		"https://files.soyte.hanoi.gov.vn:8443/exports/Patient-1.ndjson", // another port
		"https://files.soyte.hanoi.gov.vn.attacker.example/exports/Patient-1.ndjson",
		"http://10.0.0.5:8080/ndjson", // the prefix ends with a slash: its folder, not the name without it
		"http://169.254.169.254/latest/meta-data/", // cloud metadata
	})
	void refusesUrlsOutsideThePrefixes(String url) {
		assertThat(allowList.refusal(url)).contains("not under any URL prefix");
	}

	@Test
	void refusesSchemesOtherThanHttp() {
		assertThat(allowList.refusal("file:///etc/passwd")).contains("only http and https");
		assertThat(allowList.refusal("ftp://files.soyte.hanoi.gov.vn/exports/a.ndjson")).contains("only http and https");
		assertThat(allowList.refusal("/exports/a.ndjson")).contains("only http and https");
	}

	@Test
	void refusesCredentialsInTheUrl() {
		assertThat(allowList.refusal("https://user:secret@files.soyte.hanoi.gov.vn/exports/a.ndjson")).contains("user information");
	}

	/** Encoded dots and slashes may be decoded by the file server after our check: never accepted. */
	@ParameterizedTest
	@ValueSource(strings = {
		"https://files.soyte.hanoi.gov.vn/exports/%2e%2e/admin",
		"https://files.soyte.hanoi.gov.vn/exports/%2E%2E/admin",
		"https://files.soyte.hanoi.gov.vn/exports/..%2Fadmin",
		"https://files.soyte.hanoi.gov.vn/exports/..%2fadmin",
	})
	void refusesEncodedDotsAndSlashes(String url) {
		assertThat(allowList.refusal(url)).contains("encoded dots or slashes");
	}

	@Test
	void refusesWhatIsNotAUrl() {
		assertThat(allowList.refusal("https://files.soyte.hanoi.gov.vn/exports/a b.ndjson")).isEqualTo("it is not a valid URL");
	}

	@Test
	void withNoPrefixConfiguredImportsOnlyFromUploads() {
		UrlAllowList none = new UrlAllowList(Arrays.asList("", " ", null));
		assertThat(none.refusal("https://files.soyte.hanoi.gov.vn/exports/a.ndjson")).contains("upload the NDJSON instead");
	}

	@Test
	void refusesToStartWithAPrefixThatIsNotAnHttpUrl() {
		assertThatThrownBy(() -> new UrlAllowList(List.of("files.soyte.hanoi.gov.vn/exports")))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("allowed-url-prefixes");
		assertThatThrownBy(() -> new UrlAllowList(List.of("ftp://files.soyte.hanoi.gov.vn/")))
				.isInstanceOf(IllegalStateException.class);
	}
}
