package vn.ehealth.fhir.terminology;

import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;

/**
 * What a file loader produced: the code system built from every line that could be read, the
 * lines that could not (errors), and things worth knowing that did not stop a line from loading
 * (warnings). Nothing is dropped silently: every skipped non-blank line has an error.
 *
 * @param codeSystem the code system built from the valid lines
 * @param errors lines that were rejected, with line numbers
 * @param warnings lines (or the file, line 0) that loaded with a remark
 * @param source the name of the file, for messages
 */
public record LoadResult(CodeSystem codeSystem, List<LoadIssue> errors, List<LoadIssue> warnings,
    String source) {

  public LoadResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** The code system, or a {@link TerminologyLoadException} listing the errors when there are any. */
  public CodeSystem orThrow() {
    if (hasErrors()) {
      throw new TerminologyLoadException(source, errors);
    }
    return codeSystem;
  }
}
