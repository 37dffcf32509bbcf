package vn.ehealth.fhir.server.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The test vectors of RFC 8785 (JSON Canonicalization Scheme), which facility software must reproduce. */
class JsonCanonicalFormTest {

	/** RFC 8785 §3.2.2: the example with numbers, an escaped string and literals. */
	@Test
	void rfcSection322Example() throws Exception {
		String input = "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
				+ "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}";
		String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
				+ "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
		assertThat(JsonCanonicalForm.canonicalize(input)).isEqualTo(expected);
	}

	/** RFC 8785 §3.2.3: members sorted by UTF-16 code units, not by code points or locale. */
	@Test
	void rfcSection323SortingExample() throws Exception {
		String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
				+ "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
				+ "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
		String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
				+ "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\","
				+ "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
		assertThat(JsonCanonicalForm.canonicalize(input)).isEqualTo(expected);
	}

	/** RFC 8785 appendix B: IEEE 754 doubles (as their bit patterns) and the text ECMAScript prints. */
	@ParameterizedTest
	@CsvSource({
		"0000000000000000, 0",
		"8000000000000000, 0",
		"0000000000000001, 5e-324",
		"8000000000000001, -5e-324",
		"7fefffffffffffff, 1.7976931348623157e+308",
		"ffefffffffffffff, -1.7976931348623157e+308",
		"4340000000000000, 9007199254740992",
		"c340000000000000, -9007199254740992",
		"4430000000000000, 295147905179352830000",
		"44b52d02c7e14af6, 1e+23",
		"444b1ae4d6e2ef50, 1e+21",
		"444b1ae4d6e2ef4f, 999999999999999900000",
		"3eb0c6f7a0b5ed8d, 0.000001",
		"3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
	})
	void rfcAppendixBNumbers(String bits, String expected) throws Exception {
		double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
		assertThat(JsonCanonicalForm.canonicalize("[" + value + "]")).isEqualTo("[" + expected + "]");
	}

	/** RFC 8785 §3.1: I-JSON, so a repeated member name is refused rather than one of them dropped. */
	@Test
	void duplicateMemberNamesAreRefused() {
		assertThatThrownBy(() -> JsonCanonicalForm.canonicalize("{\"a\":1,\"a\":2}"))
				.isInstanceOf(JsonProcessingException.class);
	}

	/** The audit chain hashes records written from maps: the same text as JCS of their JSON. */
	@Test
	void mapsCanonicalizeLikeTheirJson() throws Exception {
		Map<String, Object> record = new TreeMap<>();
		record.put("seq", 12L);
		record.put("agent_name", "Bệnh viện Bạch Mai");
		record.put("entities", List.of("Patient/1", "Patient/2"));
		record.put("Z", "\u001f");
		String canonical = JsonCanonicalForm.canonicalize(record);
		assertThat(canonical).isEqualTo(
				"{\"Z\":\"\\u001f\",\"agent_name\":\"Bệnh viện Bạch Mai\",\"entities\":[\"Patient/1\",\"Patient/2\"],\"seq\":12}");
		assertThat(JsonCanonicalForm.canonicalize(canonical)).isEqualTo(canonical);
	}

	/** Members are sorted at every depth; arrays keep their order; insignificant whitespace goes. */
	@Test
	void sortsNestedMembersAndKeepsArrayOrder() throws Exception {
		String input = "{ \"b\": [ {\"z\": 1, \"y\": {\"d\": true, \"c\": null}}, 3, 2 ],\n  \"a\": \"Hà Nội\" }";
		assertThat(JsonCanonicalForm.canonicalize(input))
				.isEqualTo("{\"a\":\"Hà Nội\",\"b\":[{\"y\":{\"c\":null,\"d\":true},\"z\":1},3,2]}");
	}
}
