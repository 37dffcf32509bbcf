package vn.ehealth.fhir.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.CodeSystem;

/** A code system whose full list comes from an official file exported to CSV (ICD-10, communes). */
public interface CodeSystemFileLoader {

  /** Loads from a stream (not closed); {@code sourceName} is used in messages and the description. */
  LoadResult load(InputStream in, String sourceName) throws IOException;

  /** Loads a file. */
  default LoadResult load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.getFileName().toString());
    }
  }

  /** Loads a file and returns the code system, or throws listing every error. */
  default CodeSystem loadOrThrow(Path file) throws IOException {
    return load(file).orThrow();
  }

  /** The CSV table of a file, its read errors named after the source. */
  static CsvReader.Table readTable(InputStream in, String sourceName) throws IOException {
    try {
      return CsvReader.read(in);
    } catch (TerminologyLoadException e) {
      throw new TerminologyLoadException(sourceName, e.issues());
    }
  }
}
