package vn.ehealth.fhir.terminology;

import java.util.LinkedHashMap;
import java.util.Map;

/** A concept read from a source file, before it becomes a FHIR CodeSystem concept. */
final class ConceptNode {

  final String code;
  String display;
  String displayEn;
  String parent;
  /** Code-typed properties, by property code. */
  final Map<String, String> properties = new LinkedHashMap<>();
  /** Source line (0 when not from a file). */
  final int line;

  ConceptNode(String code, String display, String displayEn, String parent, int line) {
    this.code = code;
    this.display = display;
    this.displayEn = displayEn;
    this.parent = parent;
    this.line = line;
  }

  ConceptNode copy() {
    ConceptNode c = new ConceptNode(code, display, displayEn, parent, line);
    c.properties.putAll(properties);
    return c;
  }
}
