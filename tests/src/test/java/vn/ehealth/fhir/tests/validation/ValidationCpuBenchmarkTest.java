package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import vn.ehealth.fhir.bench.SyntheticPatients;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Issue 21: the CPU the enforce path's validation costs per resource, in process (thread CPU time,
 * not wall time, so a busy machine does not blur it). Validates the side-by-side set (100 synthetic
 * patients, seed 42, 10 encounters: 4,200 resources in 100 transactions of 42) through the server's
 * own configured validator, as a transaction is validated ({@code validateEntries}), after a warm-up
 * pass. Per type by difference: bundles of Patient alone, Patient + Condition, Patient + 10
 * Encounters, and those + 30 Observations. A benchmark, not a check: runs only with
 * {@code -DvalidationCpuBench=<passes>}, e.g. {@code mvn -B -o -pl tests -am verify
 * -Dtest=ValidationCpuBenchmarkTest -DvalidationCpuBench=3 -Dsurefire.failIfNoSpecifiedTests=false};
 * with {@code -DvalidationCpuBenchJfr=true} the last pass is recorded to
 * target/validation-bench/validation.jfr.
 */
@EnabledIfSystemProperty(named = "validationCpuBench", matches = "\\d+")
class ValidationCpuBenchmarkTest {

	private static final int PATIENTS = 100;
	private static final int ENCOUNTERS = 10;
	private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

	@Test
	void cpuPerResource() throws Exception {
		int passes = Integer.parseInt(System.getProperty("validationCpuBench"));
		ProfileEnforcingInterceptor validation = TestServer.shared().context().getBean(ProfileEnforcingInterceptor.class);
		SyntheticPatients data = new SyntheticPatients(42);
		List<Bundle> full = new ArrayList<>();
		for (int n = 0; n < PATIENTS; n++) {
			full.add(data.patientBundle(n, ENCOUNTERS));
		}
		List<Bundle> patientOnly = part(full, type -> type.equals("Patient"));
		List<Bundle> withCondition = part(full, type -> type.equals("Patient") || type.equals("Condition"));
		List<Bundle> withEncounters = part(full, type -> type.equals("Patient") || type.equals("Encounter"));
		List<Bundle> withObservations = part(full, type -> !type.equals("Condition"));

		StringBuilder report = new StringBuilder("| pass | Patient | Condition | Encounter | Observation | 42-entry bundle, per resource | 100 bundles total |\n");
		for (int pass = 1; pass <= passes; pass++) {
			boolean recorded = pass == passes && Boolean.getBoolean("validationCpuBenchJfr");
			try (Recording recording = new Recording()) {
				if (recorded) {
					recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
					recording.start();
				}
				double bundles = cpuMs(validation, full);
				double patient = cpuMs(validation, patientOnly);
				double condition = cpuMs(validation, withCondition) - patient;
				double encounters = cpuMs(validation, withEncounters) - patient;
				double observations = cpuMs(validation, withObservations) - patient - encounters;
				report.append(String.format("| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f ms |%n", pass,
						patient / PATIENTS, condition / PATIENTS, encounters / (PATIENTS * ENCOUNTERS),
						observations / (PATIENTS * ENCOUNTERS * 3.0), bundles / (PATIENTS * 42.0), bundles));
				if (recorded) {
					recording.stop();
					Path out = Files.createDirectories(Path.of("target", "validation-bench"));
					recording.dump(out.resolve("validation.jfr"));
				}
			}
			System.out.print(report);
		}
		System.out.println("CPU ms per resource (thread CPU time of the validating thread)\n" + report);
	}

	/** Thread CPU ms to validate the bundles as transactions; none may be refused. */
	private static double cpuMs(ProfileEnforcingInterceptor validation, List<Bundle> bundles) {
		long start = CPU.getCurrentThreadCpuTime();
		for (Bundle bundle : bundles) {
			assertThat(validation.validateEntries(bundle, new SystemRequestDetails())).isEmpty();
		}
		return (CPU.getCurrentThreadCpuTime() - start) / 1e6;
	}

	/** Each bundle reduced to the entries of the types kept (references to dropped ones stay out of it). */
	private static List<Bundle> part(List<Bundle> bundles, Predicate<String> keep) {
		List<Bundle> parts = new ArrayList<>();
		for (Bundle bundle : bundles) {
			Bundle part = new Bundle().setType(bundle.getType());
			bundle.getEntry().stream()
					.filter(e -> keep.test(e.getResource().fhirType()))
					.forEach(e -> part.addEntry(e.copy()));
			parts.add(part);
		}
		return parts;
	}
}
