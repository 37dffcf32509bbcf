package vn.ehealth.fhir.terminology;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a terminology file cannot be loaded; carries every problem with its line number. */
public class TerminologyLoadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<LoadIssue> issues;

  public TerminologyLoadException(List<LoadIssue> issues) {
    this(null, issues);
  }

  public TerminologyLoadException(String source, List<LoadIssue> issues) {
    super(message(source, issues));
    this.issues = List.copyOf(issues);
  }

  /** The problems, in file order. */
  public List<LoadIssue> issues() {
    return issues;
  }

  private static String message(String source, List<LoadIssue> issues) {
    String head = (source == null ? "" : source + ": ") + issues.size()
        + (issues.size() == 1 ? " problem" : " problems");
    return issues.stream().limit(50).map(LoadIssue::toString)
        .collect(Collectors.joining("\n  ", head + "\n  ", issues.size() > 50 ? "\n  ..." : ""));
  }
}
