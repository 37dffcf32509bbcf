package vn.ehealth.fhir.terminology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemHierarchyMeaning;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactDetail;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;

/** Builds the FHIR resources from concept lists; shared by the built-in set and the file loaders. */
final class Resources {

  /** A code-typed concept property declared on a code system. */
  record PropertyDef(String code, String description) {}

  /** What a code system says about itself. */
  record Meta(String id, String name, String title, String description,
      CodeSystemContentMode content) {
    static Meta of(VnCodeSystem cs) {
      return new Meta(cs.id(), cs.resourceName(), cs.title(), cs.description(), cs.content());
    }

    Meta withContent(CodeSystemContentMode mode, String extraDescription) {
      return new Meta(id, name, title, description + (extraDescription == null ? "" : " " + extraDescription), mode);
    }
  }

  private Resources() {}

  static void stamp(MetadataResource r, String id, String url, String name, String title,
      String description) {
    r.setIdElement(new IdType(r.fhirType(), id));
    r.setUrl(url);
    r.setVersion(VnTerminology.VERSION);
    r.setName(name);
    r.setTitle(title);
    r.setStatus(PublicationStatus.ACTIVE);
    r.setExperimental(false);
    r.setPublisher(VnTerminology.PUBLISHER);
    r.addContact(new ContactDetail().setName(VnTerminology.PUBLISHER).addTelecom(
        new ContactPoint().setSystem(ContactPoint.ContactPointSystem.URL)
            .setValue(VnTerminology.CANONICAL_BASE)));
    r.setDescription(description);
    r.addJurisdiction(new CodeableConcept().addCoding(
        new Coding("urn:iso:std:iso:3166", "VN", "Viet Nam")));
    r.setLanguage("vi");
  }

  /**
   * A code system from concepts. Children are nested under their parent; siblings keep the order
   * of {@code nodes} unless {@code siblingOrder} is given. Every parent must be in {@code nodes}.
   */
  static CodeSystem codeSystem(Meta meta, Collection<ConceptNode> nodes, List<PropertyDef> properties,
      Comparator<ConceptNode> siblingOrder) {
    CodeSystem cs = new CodeSystem();
    stamp(cs, meta.id(), VnTerminology.codeSystemUrl(meta.id()), meta.name(), meta.title(),
        meta.description());
    cs.setCaseSensitive(true);
    cs.setContent(meta.content());
    cs.setValueSet(VnTerminology.valueSetUrl(meta.id()));
    for (PropertyDef p : properties) {
      cs.addProperty().setCode(p.code()).setDescription(p.description()).setType(PropertyType.CODE);
    }

    Map<String, ConceptDefinitionComponent> built = new HashMap<>();
    Map<String, List<ConceptNode>> children = new LinkedHashMap<>();
    List<ConceptNode> roots = new ArrayList<>();
    boolean hierarchical = false;
    for (ConceptNode n : nodes) {
      if (n.parent == null || n.parent.isEmpty()) {
        roots.add(n);
      } else {
        hierarchical = true;
        children.computeIfAbsent(n.parent, k -> new ArrayList<>()).add(n);
      }
    }
    if (hierarchical) {
      cs.setHierarchyMeaning(CodeSystemHierarchyMeaning.CLASSIFIEDWITH);
    }
    if (siblingOrder != null) {
      children.values().forEach(l -> l.sort(siblingOrder));
    }
    int[] count = {0};
    for (ConceptNode root : roots) {
      cs.addConcept(toConcept(root, children, built, count));
    }
    if (count[0] != nodes.size()) {
      List<String> orphans = nodes.stream().map(n -> n.code).filter(c -> !built.containsKey(c)).toList();
      throw new IllegalArgumentException(meta.id() + ": concepts whose parent is missing or circular: "
          + orphans);
    }
    if (meta.content() == CodeSystemContentMode.COMPLETE) {
      // for a fragment, count would be the size of the whole system, which is not known here
      cs.setCount(count[0]);
    }
    return cs;
  }

  private static ConceptDefinitionComponent toConcept(ConceptNode n,
      Map<String, List<ConceptNode>> children, Map<String, ConceptDefinitionComponent> built,
      int[] count) {
    ConceptDefinitionComponent c = new ConceptDefinitionComponent();
    c.setCode(n.code);
    c.setDisplay(n.display);
    if (n.displayEn != null && !n.displayEn.isBlank()) {
      c.addDesignation().setLanguage("en").setValue(n.displayEn);
    }
    for (Map.Entry<String, String> p : n.properties.entrySet()) {
      c.addProperty().setCode(p.getKey()).setValue(new CodeType(p.getValue()));
    }
    built.put(n.code, c);
    count[0]++;
    for (ConceptNode child : children.getOrDefault(n.code, List.of())) {
      if (!built.containsKey(child.code)) {
        c.addConcept(toConcept(child, children, built, count));
      }
    }
    return c;
  }

  /** A value set holding every code of {@code cs}, with the same id. */
  static ValueSet valueSetFor(CodeSystem cs) {
    String id = cs.getIdElement().getIdPart();
    ValueSet vs = new ValueSet();
    stamp(vs, id, VnTerminology.valueSetUrl(id), cs.getName(), cs.getTitle(),
        "Tất cả các mã của hệ mã " + cs.getUrl() + ". / All codes of the code system " + cs.getUrl() + ".");
    vs.setImmutable(false);
    vs.getCompose().addInclude().setSystem(cs.getUrl());
    return vs;
  }
}
