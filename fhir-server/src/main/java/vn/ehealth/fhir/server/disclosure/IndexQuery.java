package vn.ehealth.fhir.server.disclosure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The index page's query: {@code tinh} (a province code, 2025 or legacy), {@code ten} (words of the
 * name, any accents), {@code trang} (the page, from 1). Anything else is refused rather than ignored,
 * so a mistyped link says so instead of quietly listing every facility.
 */
record IndexQuery(ProvinceNames.Province province, String name, int page) {

	static final String PROVINCE = "tinh";
	static final String NAME = "ten";
	static final String PAGE = "trang";

	static final int MAX_NAME_LENGTH = 100;
	static final int MAX_PAGE = 10_000;

	private static final Set<String> KNOWN = Set.of(PROVINCE, NAME, PAGE);

	/** A parameter the page cannot use; the message is for the person who sent it. */
	static final class BadQuery extends RuntimeException {
		final String vi;
		final String en;

		BadQuery(String vi, String en) {
			super(en);
			this.vi = vi;
			this.en = en;
		}
	}

	static IndexQuery parse(Map<String, String[]> parameters, ProvinceNames provinces) {
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			if (!KNOWN.contains(parameter.getKey())) {
				throw new BadQuery("Tham số không được hỗ trợ: \"" + parameter.getKey() + "\". Trang này chỉ nhận tinh, ten, trang.",
						"Unsupported parameter \"" + parameter.getKey() + "\": this page takes only tinh, ten, trang.");
			}
			if (parameter.getValue().length > 1) {
				throw new BadQuery("Tham số \"" + parameter.getKey() + "\" chỉ được nêu một lần.",
						"The parameter \"" + parameter.getKey() + "\" may be given only once.");
			}
		}
		return new IndexQuery(province(single(parameters, PROVINCE), provinces), name(single(parameters, NAME)),
				page(single(parameters, PAGE)));
	}

	private static String single(Map<String, String[]> parameters, String name) {
		String[] values = parameters.get(name);
		return values == null || values[0].isBlank() ? null : values[0].strip();
	}

	private static ProvinceNames.Province province(String code, ProvinceNames provinces) {
		if (code == null) {
			return null;
		}
		if (!code.matches("\\d{2}")) {
			throw new BadQuery("Mã tỉnh phải gồm 2 chữ số (mã năm 2025 hoặc mã cũ trong danh sách 63 tỉnh).",
					"A province code is 2 digits (a 2025 code or a code of the former 63-province list).");
		}
		return provinces.byCode(code).orElseThrow(() -> new BadQuery("Không có tỉnh, thành phố mã " + code + ".",
				"There is no province with code " + code + "."));
	}

	private static String name(String name) {
		if (name == null) {
			return null;
		}
		if (name.length() > MAX_NAME_LENGTH) {
			throw new BadQuery("Tên tìm kiếm dài quá " + MAX_NAME_LENGTH + " ký tự.",
					"The name searched for is longer than " + MAX_NAME_LENGTH + " characters.");
		}
		if (name.chars().anyMatch(Character::isISOControl)) {
			throw new BadQuery("Tên tìm kiếm có ký tự điều khiển.", "The name searched for contains control characters.");
		}
		return name;
	}

	private static int page(String page) {
		if (page == null) {
			return 1;
		}
		if (!page.matches("\\d{1,5}") || Integer.parseInt(page) < 1 || Integer.parseInt(page) > MAX_PAGE) {
			throw new BadQuery("Số trang phải là số nguyên từ 1 đến " + MAX_PAGE + ".",
					"The page must be a whole number from 1 to " + MAX_PAGE + ".");
		}
		return Integer.parseInt(page);
	}

	/** This query's link to another of its pages, relative to the index ("?tinh=01&ten=...&trang=2"). */
	String link(int toPage) {
		StringBuilder link = new StringBuilder("?");
		if (province != null) {
			link.append(PROVINCE).append('=').append(province.code()).append('&');
		}
		if (name != null) {
			link.append(NAME).append('=').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('&');
		}
		return link.append(PAGE).append('=').append(toPage).toString();
	}
}
