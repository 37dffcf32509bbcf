package vn.ehealth.fhir.server.reporting;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import vn.ehealth.fhir.terminology.Icd10Codes;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The ICD-10 chapter and block of a code, from the hierarchy of the guide's vn-icd10 code system
 * (chapters I–XXII and their blocks as in the Ministry of Health's ICD-10 list, Decision
 * 4469/QĐ-BYT, which follows WHO's ICD-10 2019): the narrowest block whose range holds the code's
 * three-character category, and that block's chapter. A category outside every block falls back
 * to WHO's chapter ranges (ICD-10 2019, Volume 1, list of chapters) with no block.
 */
final class Icd10Groups {

	private record Block(String code, String chapter) {}

	/** WHO ICD-10 2019 chapter ranges, by first and last category. */
	private static final String[][] CHAPTER_RANGES = {
		{"A00", "B99", "I"}, {"C00", "D48", "II"}, {"D50", "D89", "III"}, {"E00", "E90", "IV"}, {"F00", "F99", "V"},
		{"G00", "G99", "VI"}, {"H00", "H59", "VII"}, {"H60", "H95", "VIII"}, {"I00", "I99", "IX"}, {"J00", "J99", "X"},
		{"K00", "K93", "XI"}, {"L00", "L99", "XII"}, {"M00", "M99", "XIII"}, {"N00", "N99", "XIV"}, {"O00", "O99", "XV"},
		{"P00", "P96", "XVI"}, {"Q00", "Q99", "XVII"}, {"R00", "R99", "XVIII"}, {"S00", "T98", "XIX"}, {"V01", "Y98", "XX"},
		{"Z00", "Z99", "XXI"}, {"U00", "U85", "XXII"}};

	private static final List<Block> BLOCKS = blocks();

	private Icd10Groups() {}

	static String chapter(String code) {
		Block block = blockOf(code);
		if (block != null) {
			return block.chapter();
		}
		String category = Icd10Codes.category(code);
		for (String[] range : CHAPTER_RANGES) {
			if (range[0].compareTo(category) <= 0 && category.compareTo(range[1]) <= 0) {
				return range[2];
			}
		}
		return null;
	}

	static String block(String code) {
		Block block = blockOf(code);
		return block == null ? null : block.code();
	}

	static String display(String code) {
		return VnTerminology.display(VnCodeSystem.ICD10, code).orElse(null);
	}

	private static Block blockOf(String code) {
		String category = Icd10Codes.category(code);
		Block narrowest = null;
		for (Block block : BLOCKS) {
			if (Icd10Codes.blockContains(block.code(), category)
					&& (narrowest == null || Icd10Codes.blockContainsBlock(narrowest.code(), block.code()))) {
				narrowest = block;
			}
		}
		return narrowest;
	}

	private static List<Block> blocks() {
		List<Block> blocks = new ArrayList<>();
		for (CodeSystem.ConceptDefinitionComponent chapter : VnTerminology.codeSystem(VnCodeSystem.ICD10).getConcept()) {
			if (Icd10Codes.kind(chapter.getCode()) == Icd10Codes.Kind.CHAPTER) {
				collect(chapter.getConcept(), chapter.getCode(), blocks);
			}
		}
		return List.copyOf(blocks);
	}

	private static void collect(List<CodeSystem.ConceptDefinitionComponent> concepts, String chapter, List<Block> blocks) {
		for (CodeSystem.ConceptDefinitionComponent concept : concepts) {
			if (Icd10Codes.kind(concept.getCode()) == Icd10Codes.Kind.BLOCK) {
				blocks.add(new Block(concept.getCode(), chapter));
				collect(concept.getConcept(), chapter, blocks);
			}
		}
	}
}
