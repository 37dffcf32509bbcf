package vn.ehealth.fhir.server.claimxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class SubmissionReaderTest {

	private static final String XML1 = "<TONG_HOP><MA_LK>LK1</MA_LK><MA_BN>BN1</MA_BN><NGAY_SINH>198500000000</NGAY_SINH></TONG_HOP>";
	private static final String XML2 = "<x:CHITIEU_CHITIET_THUOC xmlns:x='urn:x'><x:DSACH_CHI_TIET_THUOC>"
			+ "<x:CHI_TIET_THUOC><x:MA_LK>LK1</x:MA_LK><x:MA_THUOC>40.17</x:MA_THUOC></x:CHI_TIET_THUOC>"
			+ "<x:CHI_TIET_THUOC><x:MA_LK>LK1</x:MA_LK><x:MA_THUOC>40.18</x:MA_THUOC></x:CHI_TIET_THUOC>"
			+ "</x:DSACH_CHI_TIET_THUOC></x:CHITIEU_CHITIET_THUOC>";

	private final SubmissionReader reader = new SubmissionReader(new ClaimXmlSettings(DataSize.ofMegabytes(1), 32, 10, DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), 10, DataSize.ofMegabytes(10), 100,
			java.time.Duration.ofMinutes(5), new ClaimXmlSettings.Signature(ClaimXmlSettings.SignatureMode.OFF, "", "")));

	@Test
	void readsTheEnvelopeWithPrefixedTablesInAnyOrder() {
		Submission submission = read(envelope(file("XML2", XML2) + file("xml1", XML1)));

		assertThat(submission.facility()).isEqualTo("01901");
		Submission.Episode episode = submission.episodes().get(0);
		assertThat(episode.maLk()).isEqualTo("LK1");
		assertThat(episode.rows("XML2")).extracting(r -> r.get("MA_THUOC")).containsExactly("40.17", "40.18");
		assertThat(episode.rows("XML2").get(1).path()).isEqualTo("HOSO[1]/XML2/CHI_TIET_THUOC[2]");
	}

	@Test
	void readsABareTableSet() {
		Submission submission = read("<HOSO>" + XML1.replace("</TONG_HOP>", "<MA_CSKCB>79001</MA_CSKCB></TONG_HOP>") + XML2 + "</HOSO>");
		assertThat(submission.facility()).isEqualTo("79001");
		assertThat(submission.episodes().get(0).rows("XML2")).hasSize(2);
	}

	@Test
	void refusesAnEntityDeclarationInsideADecodedTable() {
		String table = "<!DOCTYPE TONG_HOP [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><TONG_HOP><MA_LK>&x;</MA_LK></TONG_HOP>";
		assertThatThrownBy(() -> read(envelope(file("XML1", table))))
				.isInstanceOf(InvalidRequestException.class).hasMessageContaining("DOCTYPE").hasMessageContaining("NOIDUNGFILE");
	}

	@Test
	void refusesNestingDeeperThanTheLimit() {
		assertThatThrownBy(() -> read("<a>".repeat(40) + "</a>".repeat(40)))
				.isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxElementDepth");
	}

	@Test
	void refusesBadBase64AndUnknownTablesAndRowsOfAnotherEpisode() {
		assertThatThrownBy(() -> read(envelope("<FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>!!</NOIDUNGFILE></FILEHOSO>")))
				.hasMessageContaining("base64");
		assertThatThrownBy(() -> read(envelope(file("XML16", XML1)))).hasMessageContaining("XML16");
		assertThatThrownBy(() -> read(envelope(file("XML1", XML1) + file("XML2", XML2.replace("LK1</x:MA_LK><x:MA_THUOC>40.18", "LK2</x:MA_LK><x:MA_THUOC>40.18")))))
				.hasMessageContaining("HOSO[1]/XML2/CHI_TIET_THUOC[2]/MA_LK");
	}

	@Test
	void birthDatesKeepWhatIsKnown() {
		assertThat(birth("198500000000")).isEqualTo("1985");
		assertThat(birth("198503000000")).isEqualTo("1985-03");
		assertThat(birth("198503170000")).isEqualTo("1985-03-17");
		assertThat(birth("202602281430")).isEqualTo("2026-02-28");
		assertThatThrownBy(() -> birth("198502300000")).hasMessageContaining("NGAY_SINH");
	}

	private static String birth(String value) {
		return ClaimValues.birthDate(new Submission.Row("HOSO[1]/XML1/TONG_HOP[1]", java.util.Map.of("NGAY_SINH", value)))
				.getValueAsString();
	}

	private Submission read(String xml) {
		return reader.read(xml.getBytes(StandardCharsets.UTF_8));
	}

	private static String envelope(String files) {
		return "<GIAMDINHHS><THONGTINDONVI><MACSKCB>01901</MACSKCB></THONGTINDONVI><THONGTINHOSO><DANHSACHHOSO><HOSO>"
				+ files + "</HOSO></DANHSACHHOSO></THONGTINHOSO></GIAMDINHHS>";
	}

	private static String file(String type, String table) {
		return "<FILEHOSO><LOAIHOSO>" + type + "</LOAIHOSO><NOIDUNGFILE>"
				+ Base64.getMimeEncoder().encodeToString(table.getBytes(StandardCharsets.UTF_8)) + "</NOIDUNGFILE></FILEHOSO>";
	}
}
