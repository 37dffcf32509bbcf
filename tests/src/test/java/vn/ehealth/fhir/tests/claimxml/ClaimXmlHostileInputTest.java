package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Claim XML the parser must refuse (issue 18, "Hostile input" and "Errors"): each gets a 4xx with an
 * OperationOutcome naming the problem, Vietnamese first, and nothing is stored.
 */
class ClaimXmlHostileInputTest {

	@BeforeAll
	static void server() {
		ClaimXmlImportTest.server();
	}

	@Test
	void anExternalEntityIsRefusedAndNeverFetched() throws Exception {
		AtomicInteger fetched = new AtomicInteger();
		HttpServer bait = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		bait.createContext("/", exchange -> {
			fetched.incrementAndGet();
			exchange.sendResponseHeaders(200, 0);
			exchange.close();
		});
		bait.start();
		try {
			String url = "http://127.0.0.1:" + bait.getAddress().getPort() + "/evil.dtd";
			assertRefused(400, "<?xml version=\"1.0\"?><!DOCTYPE GIAMDINHHS [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">"
					+ "<!ENTITY % remote SYSTEM \"" + url + "\"> %remote;]><GIAMDINHHS>&xxe;</GIAMDINHHS>", "DOCTYPE");
			assertRefused(400, "<?xml version=\"1.0\"?><!DOCTYPE GIAMDINHHS SYSTEM \"" + url + "\"><GIAMDINHHS/>", "DOCTYPE");
		} finally {
			bait.stop(0);
		}
		assertThat(fetched.get()).isZero();
	}

	@Test
	void anEntityInsideABase64TableIsRefusedToo() {
		String table = "<?xml version=\"1.0\"?><!DOCTYPE TONG_HOP [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
				+ "<TONG_HOP><MA_LK>&xxe;</MA_LK></TONG_HOP>";
		Http.Response response = assertRefused(400, envelopeWith("XML1", base64(table)), "DOCTYPE");
		assertThat(response.body()).doesNotContain("root:");
		assertThat(response.diagnostics()).contains("HOSO[1]/FILEHOSO[1]/NOIDUNGFILE");
	}

	@Test
	void billionLaughsIsRefused() {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
		xml.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
		for (int i = 2; i <= 9; i++) {
			xml.append("<!ENTITY lol").append(i).append(" \"");
			xml.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
		}
		xml.append("]><GIAMDINHHS>&lol9;</GIAMDINHHS>");
		assertRefused(400, xml.toString(), "DOCTYPE");
	}

	@Test
	void aHugeBodyIsRefused() {
		String huge = "<GIAMDINHHS>" + "x".repeat(21 * 1024 * 1024) + "</GIAMDINHHS>";
		Http.Response response = ClaimXmlImportTest.post(huge);
		assertThat(response.status()).as(response.body()).isEqualTo(413);
		assertThat(response.diagnostics()).contains("vietfhir.claim-xml.max-envelope-size");
	}

	@Test
	void deepNestingIsRefused() {
		String deep = "<a>".repeat(5_000) + "</a>".repeat(5_000);
		assertRefused(400, deep, "maxElementDepth");
	}

	@Test
	void malformedXmlIsRefused() {
		assertRefused(400, "<GIAMDINHHS><THONGTINDONVI>", "XML");
	}

	@Test
	void wrongBase64IsRefusedNamingItsPlace() {
		Http.Response response = assertRefused(400, envelopeWith("XML1", "@@not base64@@"), "base64");
		assertThat(response.diagnostics()).contains("HOSO[1]/FILEHOSO[1]/NOIDUNGFILE");
	}

	@Test
	void anUnknownTableIsRefused() {
		assertRefused(400, envelopeWith("XML99", base64("<TONG_HOP><MA_LK>1</MA_LK></TONG_HOP>")), "XML99");
	}

	@Test
	void aMissingMaLkIsRefusedNamingTheRow() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-nolk");
		episode.xml2().get(0).remove("MA_LK");
		Http.Response response = assertRefused(400, ClaimXml.envelope(facility, List.of(episode)), "MA_LK");
		assertThat(response.diagnostics()).contains("HOSO[1]/XML2/CHI_TIET_THUOC[1]/MA_LK");
	}

	@Test
	void anImpossibleDateIsReportedForItsEpisode() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-date");
		episode.xml1().put("NGAY_VAO", "202602301200");
		Http.Response response = ClaimXmlImportTest.post(ClaimXml.envelope(facility, List.of(episode)));
		assertThat(response.status()).isEqualTo(200);
		var entry = response.resource(org.hl7.fhir.r4.model.Bundle.class).getEntryFirstRep().getResponse();
		assertThat(entry.getStatus()).isEqualTo("400");
		assertThat(((org.hl7.fhir.r4.model.OperationOutcome) entry.getOutcome()).getIssue().get(1).getDiagnostics())
				.contains("HOSO[1]/XML1/TONG_HOP[1]/NGAY_VAO").contains("202602301200");
	}

	@Test
	void aBodyThatIsNotXmlIsRefused() {
		Http.Response response = TestServer.shared().http().post("/fhir/$import-claim-xml", "application/json", "{}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.diagnostics()).contains("application/xml");
	}

	private static Http.Response assertRefused(int status, String body, String named) {
		Http.Response response = ClaimXmlImportTest.post(body);
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).contains(" / ").contains(named);
		return response;
	}

	private static String envelopeWith(String table, String content) {
		return "<GIAMDINHHS><THONGTINDONVI><MACSKCB>01901</MACSKCB></THONGTINDONVI><THONGTINHOSO><DANHSACHHOSO><HOSO>"
				+ "<FILEHOSO><LOAIHOSO>" + table + "</LOAIHOSO><NOIDUNGFILE>" + content + "</NOIDUNGFILE></FILEHOSO>"
				+ "</HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>";
	}

	private static String base64(String xml) {
		return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
	}
}
