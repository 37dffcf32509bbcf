package vn.ehealth.fhir.terminology;

/**
 * A problem found while loading a terminology file.
 *
 * @param line the 1-based line of the source file the problem is on, or 0 when it concerns the
 *     file as a whole
 * @param message what is wrong, in plain words
 */
public record LoadIssue(int line, String message) {

  @Override
  public String toString() {
    return line > 0 ? "line " + line + ": " + message : message;
  }
}
