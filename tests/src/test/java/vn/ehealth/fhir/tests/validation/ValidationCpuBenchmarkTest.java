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
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Map;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ValidationOptions;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
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
class ValidationCpuBenchmarkTest {

	private static final int PATIENTS = 100;
	private static final int ENCOUNTERS = 10;
	private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

	@Test
	@EnabledIfSystemProperty(named = "validationCpuBench", matches = "\\d+")
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

	/**
	 * The messages the enforce path gives for invalid variants of one bundle (errors when refused, warnings
	 * when accepted), one line each, sorted, written to the file named by {@code -DvalidationMessages}: run
	 * before and after a change and compare the files.
	 */
	@Test
	@EnabledIfSystemProperty(named = "validationMessages", matches = ".+")
	void messagesOfInvalidVariants() throws Exception {
		ProfileEnforcingInterceptor validation = TestServer.shared().context().getBean(ProfileEnforcingInterceptor.class);
		Map<String, java.util.function.Consumer<Bundle>> variants = invalidVariants();
		List<String> lines = new ArrayList<>();
		for (Map.Entry<String, java.util.function.Consumer<Bundle>> variant : variants.entrySet()) {
			Bundle bundle = new SyntheticPatients(42).patientBundle(7, 2);
			variant.getValue().accept(bundle);
			SystemRequestDetails request = new SystemRequestDetails();
			request.setResource(bundle);
			try {
				validation.beforeTransaction(request, RestOperationTypeEnum.TRANSACTION);
				Object issues = request.getUserData().get(ProfileEnforcingInterceptor.class.getName() + ".issues");
				if (issues instanceof List<?> list) {
					list.forEach(m -> lines.add(variant.getKey() + " | accepted | " + m));
				} else {
					lines.add(variant.getKey() + " | accepted | no issues");
				}
			} catch (UnprocessableEntityException refused) {
				for (OperationOutcome.OperationOutcomeIssueComponent issue : ((OperationOutcome) refused.getOperationOutcome()).getIssue()) {
					lines.add(variant.getKey() + " | refused | " + issue.getSeverity() + " | " + issue.getExpression() + " | " + issue.getDiagnostics());
				}
			}
		}
		java.util.Collections.sort(lines);
		Files.write(Path.of(System.getProperty("validationMessages")), lines);
	}

	/**
	 * The same chunk Bundles (entries tagged with their guide profile, as the interceptor sends them)
	 * validated alternately with and without {@code profile}, bundle by bundle, so a busy machine weighs
	 * on both alike: thread CPU ms per resource, median of the passes. {@code -DvalidationAb=<passes>}
	 * and {@code -DvalidationAbProfile=<canonical>}.
	 */
	@Test
	@EnabledIfSystemProperty(named = "validationAb", matches = "\\d+")
	void alternatingWithAndWithoutABundleProfile() {
		int passes = Integer.parseInt(System.getProperty("validationAb"));
		String bundleProfile = System.getProperty("validationAbProfile");
		var context = TestServer.shared().context();
		FhirValidator validator = TestServer.fhirContext().newValidator();
		validator.registerValidatorModule(context.getBean("myInstanceValidator", IValidatorModule.class));
		Map<String, String> profileByType = guideProfiles(context.getBean(GuideValidationSupport.class), bundleProfile);
		SyntheticPatients data = new SyntheticPatients(42);
		List<Bundle> bundles = taggedBundles(data, profileByType);
		ValidationOptions with = new ValidationOptions().addProfile(bundleProfile);
		List<String> messages = new ArrayList<>();
		for (Map.Entry<String, java.util.function.Consumer<Bundle>> variant : invalidVariants().entrySet()) {
			Bundle bundle = data.patientBundle(7, 2);
			variant.getValue().accept(bundle);
			bundle.getEntry().forEach(e -> e.getResource().getMeta().addProfile(profileByType.get(e.getResource().fhirType())));
			validator.validateWithResult(bundle, with).getMessages().stream().filter(m -> String.valueOf(m.getLocationString()).startsWith("Bundle.entry["))
					.forEach(m -> messages.add(variant.getKey() + " | with | " + m.getSeverity() + " | " + m.getLocationString() + " | " + m.getMessageId() + " | " + m.getMessage()));
			validator.validateWithResult(bundle).getMessages().stream().filter(m -> String.valueOf(m.getLocationString()).startsWith("Bundle.entry["))
					.forEach(m -> messages.add(variant.getKey() + " | without | " + m.getSeverity() + " | " + m.getLocationString() + " | " + m.getMessageId() + " | " + m.getMessage()));
		}
		try {
			Files.write(Path.of("target", "validation-ab-messages.txt"), messages);
		} catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		alternately(bundles, passes, false, "with " + bundleProfile, bundle -> validator.validateWithResult(bundle, with),
				"without", validator::validateWithResult);
	}

	/**
	 * HAPI's instance validator (built per call) and ours (reused, issue 21) alternately on the same chunk
	 * Bundles (entries tagged with their guide profile, validated against the transaction chunks' profile,
	 * as the write path sends them), bundle by bundle, so a busy machine weighs on both alike: thread CPU
	 * ms per resource, median of the passes. {@code -DvalidationPoolAb=<passes>}.
	 */
	@Test
	@EnabledIfSystemProperty(named = "validationPoolAb", matches = "\\d+")
	void alternatingHapisAndTheReusedValidator() {
		int passes = Integer.parseInt(System.getProperty("validationPoolAb"));
		var context = TestServer.shared().context();
		String chunkProfile = "https://vietfhir.org/fhir/StructureDefinition/vietfhir-transaction-entries";
		FhirValidator hapi = TestServer.fhirContext().newValidator();
		hapi.registerValidatorModule(context.getBean("myInstanceValidator", IValidatorModule.class));
		FhirValidator reused = TestServer.fhirContext().newValidator();
		reused.registerValidatorModule(context.getBean("pooledInstanceValidator", IValidatorModule.class));
		Map<String, String> profileByType = guideProfiles(context.getBean(GuideValidationSupport.class), chunkProfile);
		List<Bundle> bundles = taggedBundles(new SyntheticPatients(42), profileByType);
		ValidationOptions options = new ValidationOptions().addProfile(chunkProfile);
		double[] medians = alternately(bundles, passes, true, "HAPI's", bundle -> hapi.validateWithResult(bundle, options),
				"reused", bundle -> reused.validateWithResult(bundle, options));
		System.out.printf("HAPI's ÷ reused: %.2fx%n", medians[0] / medians[1]);
	}

	/**
	 * Two ways of validating timed alternately, bundle by bundle, so a busy machine weighs on both
	 * alike: thread CPU ms per resource of each pass printed, the medians of the passes returned
	 * ({@code warmUp}: one more pass first, not counted).
	 */
	private static double[] alternately(List<Bundle> bundles, int passes, boolean warmUp, String nameA,
			java.util.function.Consumer<Bundle> a, String nameB, java.util.function.Consumer<Bundle> b) {
		List<Double> aMs = new ArrayList<>();
		List<Double> bMs = new ArrayList<>();
		for (int pass = warmUp ? 0 : 1; pass <= passes; pass++) {
			double aTotal = 0;
			double bTotal = 0;
			for (Bundle bundle : bundles) {
				long start = CPU.getCurrentThreadCpuTime();
				a.accept(bundle);
				long middle = CPU.getCurrentThreadCpuTime();
				b.accept(bundle);
				aTotal += (middle - start) / 1e6;
				bTotal += (CPU.getCurrentThreadCpuTime() - middle) / 1e6;
			}
			double resources = PATIENTS * 42.0;
			if (pass > 0) {
				aMs.add(aTotal / resources);
				bMs.add(bTotal / resources);
			}
			System.out.printf("pass %d: %s %.3f ms/resource, %s %.3f%n", pass, nameA, aTotal / resources, nameB, bTotal / resources);
		}
		java.util.Collections.sort(aMs);
		java.util.Collections.sort(bMs);
		double[] medians = {aMs.get(passes / 2), bMs.get(passes / 2)};
		System.out.printf("median: %s %.3f, %s %.3f ms/resource%n", nameA, medians[0], nameB, medians[1]);
		return medians;
	}

	/** The synthetic patients' bundles, each entry tagged with its guide profile (as the write path tags them). */
	private static List<Bundle> taggedBundles(SyntheticPatients data, Map<String, String> profileByType) {
		List<Bundle> bundles = new ArrayList<>();
		for (int n = 0; n < PATIENTS; n++) {
			Bundle bundle = data.patientBundle(n, ENCOUNTERS);
			bundle.getEntry().forEach(e -> e.getResource().getMeta().addProfile(profileByType.get(e.getResource().fhirType())));
			bundles.add(bundle);
		}
		return bundles;
	}

	/** Resource type → guide profile, read from the types {@code Bundle.entry.resource} takes in the transaction chunks' profile. */
	static Map<String, String> guideProfiles(GuideValidationSupport guide, String chunkProfile) {
		StructureDefinition profile = (StructureDefinition) guide.fetchStructureDefinition(chunkProfile);
		Map<String, String> profileByType = new java.util.HashMap<>();
		profile.getSnapshot().getElement().stream().filter(e -> e.getPath().equals("Bundle.entry.resource"))
				.flatMap(e -> e.getType().stream()).filter(t -> t.hasProfile())
				.forEach(t -> profileByType.put(t.getCode(), t.getProfile().get(0).getValue()));
		return profileByType;
	}

	/** Changes to one patient's bundle that break (or only stretch) the guide's rules, by name. */
	static Map<String, java.util.function.Consumer<Bundle>> invalidVariants() {
		Map<String, java.util.function.Consumer<Bundle>> variants = new java.util.LinkedHashMap<>();
		variants.put("valid", b -> {});
		variants.put("observation without status", b -> obs(b, 3).setStatus(null));
		variants.put("observation without category", b -> obs(b, 3).getCategory().clear());
		variants.put("observation subject is an encounter", b -> obs(b, 3).getSubject().setReference(b.getEntry().get(2).getFullUrl()));
		variants.put("observation subject outside the bundle", b -> obs(b, 3).getSubject().setReference("Patient/khong-co"));
		variants.put("observation with a bad UCUM code", b -> ((Quantity) obs(b, 3).getValue()).setCode("mmHgX"));
		variants.put("observation declares an unknown profile", b -> obs(b, 3).getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-vital-signs"));
		variants.put("observation with an unknown extension", b -> obs(b, 3).addExtension("https://example.org/ext/unknown", new StringType("x")));
		variants.put("condition with an unknown ICD-10 code", b -> ((Condition) b.getEntry().get(1).getResource()).getCode().getCodingFirstRep().setCode("Z99.999X"));
		variants.put("encounter without class", b -> ((Encounter) b.getEntry().get(2).getResource()).setClass_(null));
		variants.put("encounter without status", b -> ((Encounter) b.getEntry().get(2).getResource()).setStatus(null));
		variants.put("patient with malformed identifiers", b -> ((Patient) b.getEntry().get(0).getResource()).getIdentifier().forEach(i -> i.setValue("abc")));
		variants.put("patient without name", b -> ((Patient) b.getEntry().get(0).getResource()).getName().clear());
		return variants;
	}

	private static Observation obs(Bundle bundle, int index) {
		return (Observation) bundle.getEntry().get(index).getResource();
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
