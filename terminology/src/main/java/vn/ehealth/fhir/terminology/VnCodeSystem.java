package vn.ehealth.fhir.terminology;

import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;

/**
 * The code systems shipped by VietFHIR Core, each with a value set of the same id holding all its
 * codes. Ids and urls are part of the published contract (shared/docs/ig-contract.md).
 */
public enum VnCodeSystem {

  ETHNICITY("vn-ethnicity", "VNEthnicity",
      "Dân tộc Việt Nam", "Ethnic groups of Vietnam",
      "Danh mục 54 dân tộc Việt Nam (Quyết định 121-TCTK/PPCĐ năm 1979), cùng mã 55 người nước ngoài"
          + " và 99 không rõ, dùng cho trường MA_DANTOC. / The 54 ethnic groups of Vietnam (GSO"
          + " Decision 121-TCTK/PPCĐ, 1979) plus 55 foreigner and 99 unknown, as used in MA_DANTOC.",
      "vn-ethnicity.csv", CodeSystemContentMode.COMPLETE),

  PROVINCE("vn-province", "VNProvince",
      "Tỉnh, thành phố trực thuộc trung ương từ 01/7/2025", "Provinces of Vietnam from 1 July 2025",
      "34 đơn vị hành chính cấp tỉnh từ ngày 01/7/2025 (Nghị quyết 202/2025/QH15, Quyết định"
          + " 19/2025/QĐ-TTg). / The 34 provinces and centrally-run cities from 1 July 2025"
          + " (Resolution 202/2025/QH15, Decision 19/2025/QĐ-TTg).",
      "vn-province.csv", CodeSystemContentMode.COMPLETE),

  PROVINCE_LEGACY("vn-province-legacy", "VNProvinceLegacy",
      "Tỉnh, thành phố trước 01/7/2025 (63 tỉnh)", "Provinces of Vietnam before 1 July 2025 (63-province list)",
      "63 tỉnh, thành phố trước sáp nhập, với mã hai chữ số dùng ở chữ số 2–3 của số định danh cá"
          + " nhân (Thông tư 07/2016/TT-BCA, Phụ lục I) và trong dữ liệu cũ. Số đã cấp giữ nguyên mã."
          + " / The 63 provinces before the 2025 merger, with the two-digit codes used in digits 2–3 of"
          + " the citizen identity number (Circular 07/2016/TT-BCA Appendix I) and in older data.",
      "vn-province-legacy.csv", CodeSystemContentMode.COMPLETE),

  OCCUPATION("vn-occupation", "VNOccupation",
      "Nghề nghiệp", "Occupations",
      "Mã nghề nghiệp dùng trong dữ liệu thanh toán (MA_NGHE_NGHIEP), theo Danh mục nghề nghiệp Việt"
          + " Nam (Quyết định 34/2020/QĐ-TTg): 00000 không nghề nghiệp, các nhóm cấp 1 và cấp 2. Các mã"
          + " chi tiết chưa có trong bản này. / Occupation codes used in claim data (MA_NGHE_NGHIEP),"
          + " from the Vietnam Standard Classification of Occupations (Decision 34/2020/QĐ-TTg): 00000"
          + " none, level-1 and level-2 groups; detailed codes are not included.",
      "vn-occupation.csv", CodeSystemContentMode.FRAGMENT),

  PRACTITIONER_TITLE("vn-practitioner-title", "VNPractitionerTitle",
      "Chức danh chuyên môn hành nghề", "Licensed practitioner titles",
      "Các chức danh chuyên môn được cấp giấy phép hành nghề theo Điều 26 Luật Khám bệnh, chữa bệnh"
          + " 15/2023/QH15. / The licensed professional titles of Article 26 of Law 15/2023/QH15 on"
          + " Medical Examination and Treatment.",
      "vn-practitioner-title.csv", CodeSystemContentMode.COMPLETE),

  BHYT_BENEFICIARY_GROUP("vn-bhyt-beneficiary-group", "VNBhytBeneficiaryGroup",
      "Mã đối tượng tham gia bảo hiểm y tế", "Health insurance (BHYT) beneficiary groups",
      "Hai ký tự đầu của mã thẻ BHYT 15 ký tự: nhóm đối tượng tham gia (quy định của Bảo hiểm xã hội"
          + " Việt Nam về mã số ghi trên thẻ BHYT). / The first two letters of the 15-character BHYT"
          + " card code: the beneficiary group (Vietnam Social Security card code regulations).",
      "vn-bhyt-beneficiary-group.csv", CodeSystemContentMode.COMPLETE),

  ICD10("vn-icd10", "VNICD10",
      "Phân loại quốc tế bệnh tật ICD-10 (Bộ Y tế)", "ICD-10 as used by the Vietnam Ministry of Health",
      "ICD-10 theo danh mục của Bộ Y tế (Quyết định 4469/QĐ-BYT). Bản phát hành kèm theo gồm 22"
          + " chương (mã I–XXII), toàn bộ các nhóm (mã dạng A00-A09) và các mã thường gặp; danh mục"
          + " đầy đủ được nạp từ tệp. / ICD-10 as listed by the Ministry of Health (Decision"
          + " 4469/QĐ-BYT). The shipped set has the 22 chapters (codes I–XXII), all blocks (codes like"
          + " A00-A09) and the commonest codes; the full list loads from a file.",
      "vn-icd10.csv", CodeSystemContentMode.FRAGMENT);

  private final String id;
  private final String resourceName;
  private final String titleVi;
  private final String titleEn;
  private final String description;
  private final String csvFile;
  private final CodeSystemContentMode content;

  VnCodeSystem(String id, String resourceName, String titleVi, String titleEn, String description,
      String csvFile, CodeSystemContentMode content) {
    this.id = id;
    this.resourceName = resourceName;
    this.titleVi = titleVi;
    this.titleEn = titleEn;
    this.description = description;
    this.csvFile = csvFile;
    this.content = content;
  }

  /** The resource id, e.g. {@code vn-ethnicity}. */
  public String id() {
    return id;
  }

  /** The computable name, e.g. {@code VNEthnicity}. */
  public String resourceName() {
    return resourceName;
  }

  /** Title: Vietnamese, then English in parentheses. */
  public String title() {
    return titleVi + " (" + titleEn + ")";
  }

  public String titleVi() {
    return titleVi;
  }

  public String titleEn() {
    return titleEn;
  }

  public String description() {
    return description;
  }

  /** {@code https://vietfhir.org/fhir/CodeSystem/<id>}. */
  public String url() {
    return VnTerminology.codeSystemUrl(id);
  }

  /** {@code https://vietfhir.org/fhir/ValueSet/<id>}. */
  public String valueSetUrl() {
    return VnTerminology.valueSetUrl(id);
  }

  /** The classpath resource the concepts come from. */
  public String csvResource() {
    return VnTerminology.RESOURCE_DIR + csvFile;
  }

  public CodeSystemContentMode content() {
    return content;
  }

  /** The code system with this id, or null. */
  public static VnCodeSystem byId(String id) {
    for (VnCodeSystem cs : values()) {
      if (cs.id.equals(id)) {
        return cs;
      }
    }
    return null;
  }
}
