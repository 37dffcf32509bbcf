package vn.ehealth.fhir.server.disclosure;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.ChargeItemDefinition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.server.guide.Html;
import vn.ehealth.fhir.server.terminology.VietnameseText;

/**
 * The disclosure pages as HTML, Vietnamese first with the English beside it, written with the guide's
 * escaping {@link Html} writer: every name, licence text and price label is stored data anyone with
 * write access chose, so none of it may become markup. Only the fields listed here are shown: no
 * identifier other than licence numbers and the facility code, no phone, address or birth date of a
 * practitioner.
 */
final class DisclosurePages {

	/**
	 * The technical level (cấp chuyên môn kỹ thuật, Law 15/2023/QH15 Art. 104) has no element of its own
	 * in {@code vn-ext-operating-licence}; the guide writes it as a scope entry starting with this.
	 */
	static final String TECHNICAL_LEVEL_PREFIX = "cap chuyen mon ky thuat";

	private static final String CSS = """
			body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72em;padding:0 1.2em 3em;color:#1d2733;line-height:1.45}
			header{border-bottom:3px solid #0b6e4f;padding:.8em 0;margin-bottom:1em}
			header a{color:#0b6e4f;font-weight:600;text-decoration:none}
			h1{font-size:1.6em;margin:.4em 0}
			h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
			.en{color:#5a6673;font-weight:normal}
			p.en{font-style:italic}
			table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
			th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
			th{background:#f3f5f7}
			table.meta th{width:16em}
			td.money{text-align:right;white-space:nowrap}
			form{display:flex;flex-wrap:wrap;gap:.8em;align-items:end;background:#f6f8fa;padding:.8em;margin:1em 0}
			label{display:flex;flex-direction:column;font-size:.9em}
			input,select,button{font-size:1em;padding:.3em}
			nav.pages{display:flex;gap:1.2em;margin:1em 0}
			.muted{color:#8a949e}
			footer{margin-top:3em;font-size:.85em;color:#5a6673}
			""";

	private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	private static final String[] DAYS_VI = {"T2", "T3", "T4", "T5", "T6", "T7", "CN"};

	private final ProvinceNames provinces;
	private final Map<String, String[]> licenceStatus;

	DisclosurePages(ProvinceNames provinces, Map<String, String[]> licenceStatus) {
		this.provinces = provinces;
		this.licenceStatus = licenceStatus;
	}

	// ------------------------------------------------------------------ index

	String index(IndexQuery query, FacilityIndex.Result result, int pageSize) {
		Html html = start("", "Công khai thông tin cơ sở khám bệnh, chữa bệnh", "Public disclosure of health facilities");
		heading(html, "h1", "Công khai thông tin cơ sở khám bệnh, chữa bệnh", "Public disclosure of health facilities");
		html.element("p", "Theo Thông tư 38/2024/TT-BYT, mỗi cơ sở công khai giấy phép hoạt động, kết quả đánh giá chất lượng, "
				+ "giá dịch vụ, người hành nghề và giờ làm việc. Tìm theo tỉnh, thành phố (mã năm 2025; mã cũ được quy đổi) "
				+ "và theo tên, gõ có dấu hay không dấu đều được.", "lang", "vi");
		html.element("p", "Under Circular 38/2024/TT-BYT each facility discloses its operating licence, quality assessment, "
				+ "service prices, practitioners and working hours. Search by province (2025 codes; former codes are mapped) "
				+ "and by name, with or without Vietnamese accents.", "class", "en", "lang", "en");
		searchForm(html, query);
		int pages = Math.max(1, (result.total() + pageSize - 1) / pageSize);
		html.open("p", "id", "count").text("Tìm thấy " + result.total() + " cơ sở").text(" ")
				.element("span", "(" + result.total() + " facilities found)", "class", "en", "lang", "en");
		if (result.total() > pageSize) {
			html.text(" · trang " + query.page() + "/" + pages).text(" ")
					.element("span", "(page " + query.page() + " of " + pages + ")", "class", "en", "lang", "en");
		}
		html.close("p");
		if (!result.page().isEmpty()) {
			html.open("table", "id", "facilities");
			tableHead(html, "Tên cơ sở", "Facility", "Mã cơ sở KCB", "Facility code", "Tỉnh, thành phố", "Province",
					"Địa chỉ", "Address");
			html.open("tbody");
			for (FacilityIndex.Entry entry : result.page()) {
				html.open("tr")
						.open("td").element("a", entry.name(), "href", "co-so/" + entry.id()).close("td")
						.element("td", entry.code())
						.element("td", entry.provinceCode() == null ? ""
								: provinces.byCode(entry.provinceCode()).map(ProvinceNames.Province::name).orElse(""))
						.element("td", entry.address())
						.close("tr").newline();
			}
			html.close("tbody").close("table");
		} else {
			html.element("p", "Không có cơ sở nào phù hợp trên trang này.", "lang", "vi")
					.element("p", "No facility matches on this page.", "class", "en", "lang", "en");
		}
		html.open("nav", "class", "pages");
		if (query.page() > 1) {
			html.element("a", "← Trang trước (previous)", "href", query.link(query.page() - 1), "rel", "prev");
		}
		if (query.page() < pages) {
			html.element("a", "Trang sau (next) →", "href", query.link(query.page() + 1), "rel", "next");
		}
		html.close("nav");
		return finish(html, "");
	}

	private void searchForm(Html html, IndexQuery query) {
		html.open("form", "method", "get", "action", "./", "role", "search");
		html.open("label").text("Tỉnh, thành phố ").element("span", "Province", "class", "en", "lang", "en");
		html.open("select", "name", IndexQuery.PROVINCE);
		html.element("option", "Tất cả (all)", "value", "");
		for (ProvinceNames.Province province : provinces.all()) {
			boolean chosen = query.province() != null && query.province().code().equals(province.code());
			html.element("option", province.name(), "value", province.code(), "selected", chosen ? "selected" : null);
		}
		html.close("select").close("label");
		html.open("label").text("Tên cơ sở ").element("span", "Name", "class", "en", "lang", "en")
				.empty("input", "type", "search", "name", IndexQuery.NAME, "value", query.name(),
						"maxlength", String.valueOf(IndexQuery.MAX_NAME_LENGTH), "placeholder", "benh vien, tram y te…")
				.close("label");
		html.open("button", "type", "submit").text("Tìm kiếm (search)").close("button");
		html.close("form").newline();
	}

	// ------------------------------------------------------------------ facility

	String facility(FacilityRecords.Facility facility) {
		Organization organization = facility.organization();
		String name = organization.hasName() ? organization.getName() : organization.getIdElement().getIdPart();
		Html html = start("../", name, null);
		html.element("h1", name);
		String code = organization.getIdentifier().stream()
				.filter(identifier -> IdentifierSystems.FACILITY_CODE.equals(identifier.getSystem()))
				.map(identifier -> identifier.getValue()).findFirst().orElse(null);
		String state = organization.hasAddress() ? organization.getAddressFirstRep().getState() : null;
		html.open("table", "class", "meta", "id", "facility");
		row(html, "Mã cơ sở KCB", "Facility code", code);
		row(html, "Loại hình", "Type", organization.getType().stream().map(DisclosurePages::text)
				.filter(t -> !t.isEmpty()).collect(Collectors.joining("; ")));
		row(html, "Địa chỉ", "Address", organization.hasAddress() ? organization.getAddressFirstRep().getText() : null);
		row(html, "Tỉnh, thành phố", "Province", provinces.of(state, code).map(ProvinceNames.Province::name).orElse(null));
		html.close("table");
		operatingLicence(html, organization.getExtensionByUrl(Canonicals.EXT_OPERATING_LICENCE));
		qualityAssessment(html, organization.getExtensionByUrl(Canonicals.EXT_QUALITY_ASSESSMENT));
		prices(html, facility);
		staff(html, facility);
		return finish(html, "../");
	}

	private void operatingLicence(Html html, Extension licence) {
		html.open("section", "id", "licence");
		heading(html, "h2", "Giấy phép hoạt động", "Operating licence");
		if (licence == null) {
			notPublished(html);
			return;
		}
		List<String> scope = new ArrayList<>();
		String level = null;
		for (Extension entry : licence.getExtensionsByUrl("scope")) {
			String text = text(entry.getValue());
			if (VietnameseText.fold(text).startsWith(TECHNICAL_LEVEL_PREFIX)) {
				level = text.contains(":") ? text.substring(text.indexOf(':') + 1).strip() : text;
			} else if (!text.isEmpty()) {
				scope.add(text);
			}
		}
		html.open("table", "class", "meta");
		row(html, "Số giấy phép", "Licence number", sub(licence, "number"));
		row(html, "Cơ quan cấp", "Issued by", sub(licence, "issuer"));
		row(html, "Ngày cấp", "Date issued", sub(licence, "issued"));
		row(html, "Phạm vi hoạt động chuyên môn", "Scope of professional activities", String.join("; ", scope));
		row(html, "Cấp chuyên môn kỹ thuật", "Technical level", level);
		row(html, "Số giường bệnh", "Beds", sub(licence, "beds"));
		statusRow(html, sub(licence, "status"));
		html.close("table").close("section").newline();
	}

	private void qualityAssessment(Html html, Extension assessment) {
		html.open("section", "id", "quality");
		heading(html, "h2", "Kết quả đánh giá chất lượng", "Quality assessment");
		if (assessment == null) {
			notPublished(html);
			return;
		}
		html.open("table", "class", "meta");
		row(html, "Kết quả", "Result", sub(assessment, "result"));
		row(html, "Điểm trung bình", "Mean score", sub(assessment, "score"));
		row(html, "Bộ tiêu chí", "Criteria", sub(assessment, "criteria"));
		row(html, "Ngày đánh giá", "Date assessed", sub(assessment, "date"));
		row(html, "Đơn vị đánh giá", "Assessed by", sub(assessment, "assessor"));
		html.close("table").close("section").newline();
	}

	private void prices(Html html, FacilityRecords.Facility facility) {
		html.open("section", "id", "prices");
		heading(html, "h2", "Dịch vụ và giá", "Services and prices");
		if (!facility.pricesPublic() || facility.prices().isEmpty()) {
			notPublished(html);
			return;
		}
		html.open("table");
		tableHead(html, "Dịch vụ", "Service", "Giá", "Price", "Áp dụng từ", "Effective from");
		html.open("tbody");
		NumberFormat vnd = NumberFormat.getIntegerInstance(Locale.forLanguageTag("vi-VN"));
		for (ChargeItemDefinition price : facility.prices()) {
			String service = price.hasCode() ? text(price.getCode()) : price.getTitle();
			html.open("tr").element("td", service)
					.element("td", amount(price, vnd), "class", "money")
					.element("td", price.getEffectivePeriod().hasStart() ? date(price.getEffectivePeriod().getStartElement()) : "")
					.close("tr").newline();
		}
		html.close("tbody").close("table").close("section").newline();
	}

	private static String amount(ChargeItemDefinition price, NumberFormat vnd) {
		for (ChargeItemDefinition.ChargeItemDefinitionPropertyGroupComponent group : price.getPropertyGroup()) {
			for (ChargeItemDefinition.ChargeItemDefinitionPropertyGroupPriceComponentComponent component : group.getPriceComponent()) {
				if (component.getType() == ChargeItemDefinition.ChargeItemDefinitionPriceComponentType.BASE && component.hasAmount()) {
					Money money = component.getAmount();
					String currency = money.hasCurrency() && !"VND".equals(money.getCurrency()) ? " " + money.getCurrency() : " đ";
					return vnd.format(money.getValue()) + currency;
				}
			}
		}
		return "";
	}

	private void staff(Html html, FacilityRecords.Facility facility) {
		html.open("section", "id", "staff");
		heading(html, "h2", "Người hành nghề và giờ làm việc", "Practitioners and working hours");
		if (!facility.staffPublic() || facility.staff().isEmpty()) {
			notPublished(html);
			return;
		}
		html.open("table");
		tableHead(html, "Họ và tên", "Name", "Chức danh, chuyên khoa", "Title, specialty", "Giấy phép hành nghề", "Practice licence",
				"Phạm vi hành nghề", "Scope of practice", "Giờ làm việc", "Working hours");
		html.open("tbody");
		for (FacilityRecords.Staff staff : facility.staff()) {
			PractitionerRole role = staff.role();
			Practitioner practitioner = staff.practitioner();
			Extension licence = practitioner == null ? null : practitioner.getExtensionByUrl(Canonicals.EXT_PRACTICE_LICENCE);
			html.open("tr");
			html.element("td", practitioner != null && practitioner.hasName() ? name(practitioner.getNameFirstRep())
					: role.getPractitioner().getDisplay());
			String title = licence != null ? sub(licence, "title") : null;
			html.element("td", join(title != null ? title : role.getCode().stream().map(DisclosurePages::text)
					.collect(Collectors.joining(", ")), role.getSpecialty().stream().map(DisclosurePages::text)
					.collect(Collectors.joining(", "))));
			html.open("td");
			if (licence != null) {
				html.text(sub(licence, "number"));
				String issuer = sub(licence, "issuer");
				if (issuer != null) {
					html.empty("br").text(issuer);
				}
				String period = sub(licence, "period");
				if (period != null) {
					html.empty("br").text(period);
				}
				String status = sub(licence, "status");
				if (status != null) {
					html.empty("br").text(statusText(status));
				}
			}
			html.close("td");
			html.element("td", licence == null ? "" : licence.getExtensionsByUrl("scope").stream()
					.map(scope -> text(scope.getValue())).collect(Collectors.joining("; ")));
			html.open("td", "class", "hours").text(hours(role));
			if (role.hasAvailabilityExceptions()) {
				html.empty("br").element("span", role.getAvailabilityExceptions(), "class", "muted");
			}
			html.close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").close("section").newline();
	}

	/** "T2–T6 07:00–17:00; T7 07:00–11:30"; an all-day entry is a 24-hour duty (trực). */
	static String hours(PractitionerRole role) {
		List<String> parts = new ArrayList<>();
		for (PractitionerRole.PractitionerRoleAvailableTimeComponent time : role.getAvailableTime()) {
			String days = days(time.getDaysOfWeek().stream().map(day -> day.getValueAsString()).toList());
			String when = time.getAllDay() ? "cả ngày, trực 24 giờ"
					: shortTime(time.getAvailableStartTime()) + "–" + shortTime(time.getAvailableEndTime());
			parts.add((days.isEmpty() ? "" : days + " ") + when);
		}
		return String.join("; ", parts);
	}

	/** Days as Vietnamese write them (T2 … T7, CN), runs of three or more as a range. */
	static String days(List<String> codes) {
		boolean[] on = new boolean[DAYS.length];
		for (String code : codes) {
			for (int i = 0; i < DAYS.length; i++) {
				on[i] |= DAYS[i].equals(code);
			}
		}
		List<String> out = new ArrayList<>();
		for (int i = 0; i < DAYS.length; i++) {
			if (!on[i]) {
				continue;
			}
			int end = i;
			while (end + 1 < DAYS.length && on[end + 1]) {
				end++;
			}
			if (end - i >= 2) {
				out.add(DAYS_VI[i] + "–" + DAYS_VI[end]);
			} else {
				for (int k = i; k <= end; k++) {
					out.add(DAYS_VI[k]);
				}
			}
			i = end;
		}
		return String.join(", ", out);
	}

	private static String shortTime(String time) {
		return time != null && time.length() >= 5 ? time.substring(0, 5) : time == null ? "?" : time;
	}

	// ------------------------------------------------------------------ problems

	String problem(String toIndex, String titleVi, String titleEn, String textVi, String textEn) {
		Html html = start(toIndex, titleVi, titleEn);
		heading(html, "h1", titleVi, titleEn);
		html.element("p", textVi, "lang", "vi");
		html.element("p", textEn, "class", "en", "lang", "en");
		html.open("p").element("a", "Về trang tìm kiếm (back to the search)", "href", toIndex.isEmpty() ? "./" : toIndex).close("p");
		return finish(html, toIndex);
	}

	// ------------------------------------------------------------------ layout and values

	private static Html start(String toIndex, String titleVi, String titleEn) {
		Html html = new Html();
		html.doctype().open("html", "lang", "vi").newline();
		html.open("head")
				.empty("meta", "charset", "utf-8")
				.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
				.element("title", titleEn == null ? titleVi + " · Công khai thông tin KCB" : titleVi + " (" + titleEn + ")")
				.style(CSS)
				.close("head").newline();
		html.open("body").open("header")
				.element("a", "Công khai thông tin cơ sở KCB", "href", toIndex.isEmpty() ? "./" : toIndex)
				.text(" ").element("span", "Public disclosure of health facilities", "class", "en", "lang", "en")
				.close("header").newline();
		return html;
	}

	private static String finish(Html html, String toIndex) {
		html.open("footer")
				.text("Công khai theo Thông tư 38/2024/TT-BYT; dữ liệu lấy từ danh bạ công khai FHIR (")
				.element("a", "/fhir/Organization", "href", toIndex + "../fhir/Organization")
				.text(") ")
				.element("span", "Disclosed under Circular 38/2024/TT-BYT, from the public FHIR directory.", "class", "en", "lang", "en")
				.close("footer");
		html.close("body").close("html").newline();
		return html.toString();
	}

	private static void heading(Html html, String tag, String vi, String en) {
		html.open(tag).text(vi).text(" ").element("span", en, "class", "en", "lang", "en").close(tag).newline();
	}

	private static void tableHead(Html html, String... viEn) {
		html.open("thead").open("tr");
		for (int i = 0; i < viEn.length; i += 2) {
			html.open("th").text(viEn[i]).empty("br").element("span", viEn[i + 1], "class", "en", "lang", "en").close("th");
		}
		html.close("tr").close("thead");
	}

	private static void row(Html html, String vi, String en, String value) {
		if (value == null || value.isBlank()) {
			return;
		}
		html.open("tr").open("th").text(vi).text(" ").element("span", en, "class", "en", "lang", "en").close("th")
				.element("td", value).close("tr");
	}

	private void statusRow(Html html, String code) {
		row(html, "Tình trạng", "Status", code == null ? null : statusText(code));
	}

	private String statusText(String code) {
		String[] display = licenceStatus.get(code);
		return display == null ? code : display[0] + " (" + display[1] + ")";
	}

	private static void notPublished(Html html) {
		html.open("p", "class", "muted").text("Chưa công bố. ")
				.element("span", "Not published.", "class", "en", "lang", "en").close("p").close("section").newline();
	}

	/** The value of a sub-extension, as text; several values joined with "; ". */
	private static String sub(Extension extension, String url) {
		String joined = extension.getExtensionsByUrl(url).stream().map(e -> text(e.getValue()))
				.filter(t -> !t.isEmpty()).collect(Collectors.joining("; "));
		return joined.isEmpty() ? null : joined;
	}

	static String text(Base value) {
		if (value == null) {
			return "";
		}
		if (value instanceof DateType || value instanceof DateTimeType) {
			return date((PrimitiveType<?>) value);
		}
		if (value instanceof PrimitiveType<?> primitive) {
			return primitive.getValueAsString() == null ? "" : primitive.getValueAsString();
		}
		if (value instanceof CodeableConcept concept) {
			return concept.hasText() ? concept.getText()
					: concept.getCoding().stream().map(DisclosurePages::text).findFirst().orElse("");
		}
		if (value instanceof Coding coding) {
			return coding.hasDisplay() ? coding.getDisplay() : coding.getCode() == null ? "" : coding.getCode();
		}
		if (value instanceof Reference reference) {
			return reference.hasDisplay() ? reference.getDisplay() : "";
		}
		if (value instanceof Period period) {
			String start = period.hasStart() ? date(period.getStartElement()) : "";
			String end = period.hasEnd() ? date(period.getEndElement()) : "không thời hạn";
			return "Hiệu lực " + start + " – " + end;
		}
		return "";
	}

	/** dd/MM/yyyy, as Vietnamese documents write dates; a partial date as it is. */
	static String date(PrimitiveType<?> date) {
		String value = date.getValueAsString();
		if (value == null) {
			return "";
		}
		if (value.length() >= 10 && value.charAt(4) == '-' && value.charAt(7) == '-') {
			return value.substring(8, 10) + "/" + value.substring(5, 7) + "/" + value.substring(0, 4);
		}
		return value;
	}

	/** Prefix and the full name in Vietnamese order (family name first). */
	private static String name(HumanName name) {
		String full = name.hasText() ? name.getText()
				: Stream.concat(Stream.of(name.getFamily()), name.getGiven().stream().map(PrimitiveType::getValue))
						.filter(part -> part != null && !part.isBlank()).collect(Collectors.joining(" "));
		String prefix = name.getPrefix().stream().map(PrimitiveType::getValue).collect(Collectors.joining(" "));
		return prefix.isEmpty() ? full : prefix + " " + full;
	}

	private static String join(String a, String b) {
		if (a == null || a.isBlank()) {
			return b == null ? "" : b;
		}
		return b == null || b.isBlank() ? a : a + ", " + b;
	}
}
