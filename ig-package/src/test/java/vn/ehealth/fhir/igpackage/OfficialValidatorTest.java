package vn.ehealth.fhir.igpackage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built package under the official HL7 validator, run offline as docs/guide.md tells integrators to
 * run it ({@code -version 4.0.1 -language vi -ig vietfhir.core-0.1.0.tgz}): every example and every
 * conformance resource of the package passes with no error.
 */
class OfficialValidatorTest {

	private static NpmPackage npm;
	private static OfflineOfficialValidator validator;

	@BeforeAll
	static void start() throws Exception {
		byte[] tgz;
		try (InputStream in = OfficialValidatorTest.class.getClassLoader().getResourceAsStream("vietfhir/package/vietfhir.core.tgz")) {
			assertThat(in).as("the build put the package on the classpath").isNotNull();
			tgz = in.readAllBytes();
		}
		npm = NpmPackage.fromPackage(new java.io.ByteArrayInputStream(tgz));
		Path home = Path.of(System.getProperty("vietfhir.validator.home", "target/official-validator"));
		validator = OfflineOfficialValidator.start(FhirContext.forR4Cached(), home, tgz);
	}

	@AfterAll
	static void stop() {
		if (validator != null) {
			validator.close();
		}
	}

	@Test
	void everyExamplePasses() throws Exception {
		List<String> files = npm.list("example");
		assertThat(files).isNotEmpty();
		assertThat(errors("example", files)).isEmpty();
	}

	@Test
	void everyConformanceResourcePasses() throws Exception {
		List<String> files = npm.listResources(
				"ImplementationGuide", "StructureDefinition", "CodeSystem", "ValueSet", "ConceptMap");
		assertThat(files).isNotEmpty();
		assertThat(errors("package", files)).isEmpty();
	}

	private static List<String> errors(String folder, List<String> files) throws Exception {
		List<String> errors = new ArrayList<>();
		for (String file : files) {
			byte[] json;
			try (InputStream in = npm.load(folder, file)) {
				json = in.readAllBytes();
			}
			OperationOutcome outcome = validator.validate(json);
			for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
				if (issue.getSeverity() == IssueSeverity.ERROR || issue.getSeverity() == IssueSeverity.FATAL) {
					errors.add(file + " " + issue.getExpression() + ": " + issue.getDetails().getText());
				}
			}
		}
		return errors;
	}
}
