package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ehealth.fhir.server.cli.ClaimXmlTool;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.TestServer;

/** The command-line form: a folder of claim XML files posted with a token, a progress bar, the error file. */
class ClaimXmlToolTest {

	private static TestServer server;
	private static Path key;
	private static String clientId;

	@BeforeAll
	static void client(@TempDir Path dir) throws Exception {
		server = TestServer.shared();
		var client = RegisteredClients.register(server, "claim-xml-cli", List.of("system/*.cruds"), List.of("TREAT"));
		clientId = client.clientId();
		key = dir.resolve("cli.private.jwk.json");
		Files.writeString(key, client.key().toJSONString());
	}

	@Test
	void aFolderIsPostedFileByFileWithAProgressBar(@TempDir Path folder) throws Exception {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode bad = episode(facility);
		bad.xml1().put("T_BHTT", "1.00");
		Files.writeString(folder.resolve("a.xml"), ClaimXml.envelope(facility, List.of(episode(facility), episode(facility))));
		Files.writeString(folder.resolve("b.xml"), ClaimXml.envelope(facility, List.of(bad)));
		Files.writeString(folder.resolve("notes.txt"), "not a claim file");
		Path errors = folder.resolve("errors.ndjson");
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		ClaimXmlTool.Result result = ClaimXmlTool.run(new PrintStream(out, true, StandardCharsets.UTF_8), "claim-xml",
				"--server", server.baseUrl(), "--client", clientId, "--key", key.toString(), "--errors", errors.toString(),
				folder.toString());

		assertThat(result).isEqualTo(new ClaimXmlTool.Result(2, 2, 1, 0));
		String bar = out.toString(StandardCharsets.UTF_8);
		assertThat(bar).contains("] 1/2 files").contains("[" + "#".repeat(30) + "] 2/2 files  2 episodes stored, 1 refused");
		assertThat(Files.readAllLines(errors)).hasSize(1).allMatch(l -> l.contains("HOSO[1]/XML1/TONG_HOP[1]/T_BHTT"));
	}

	@Test
	void withZipTheFolderGoesAsOneJob(@TempDir Path folder) throws Exception {
		String facility = ClaimXmlImportTest.facilityCode();
		for (int i = 0; i < 3; i++) {
			Files.writeString(folder.resolve("f" + i + ".xml"), ClaimXml.envelope(facility, List.of(episode(facility))));
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		ClaimXmlTool.Result result = ClaimXmlTool.run(new PrintStream(out, true, StandardCharsets.UTF_8), "claim-xml",
				"--server", server.baseUrl(), "--client", clientId, "--key", key.toString(), "--zip",
				"--errors", folder.resolve("errors.ndjson").toString(), folder.toString());

		assertThat(result).isEqualTo(new ClaimXmlTool.Result(3, 3, 0, 0));
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("3/3 files  3 episodes stored, 0 refused");
	}

	private static ClaimXml.Episode episode(String facility) {
		return ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-" + Fixtures.uniqueValue().substring(0, 8));
	}
}
