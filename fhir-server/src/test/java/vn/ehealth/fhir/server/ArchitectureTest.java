package vn.ehealth.fhir.server;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The arrows of docs/house-style ("The house" between modules, "Inside fhir-server" between
 * packages), checked on the compiled classes of fhir-server and of the modules it is built from
 * (profiles-vn, terminology, ig-package: on its classpath). Run alone in seconds:
 * {@code mvn -o -pl fhir-server test -Dtest=ArchitectureTest}.
 *
 * <ol>
 *   <li>{@link #serverNeverDependsOnTheTestsModule}: fhir-server never depends on the {@code tests}
 *       module (end-to-end tests, the synthetic data generator, the benchmark); nothing depends on it.
 *   <li>{@link #guideModulesNeverDependOnTheServerSpringOrHapiJpa}: profiles-vn, terminology and
 *       ig-package are usable outside the server: never fhir-server, Spring or HAPI JPA.
 *   <li>{@link #featurePackagesAreFreeOfCycles}: no cycle between the packages of fhir-server, but for
 *       the existing edges listed (each with why) in {@link #ALLOWED_BACK_EDGES}: a new one fails.
 *   <li>{@link #onlyTheApplicationDependsOnCli}: {@code cli} (the command-line tools) may use every
 *       feature; no feature uses it, so a feature never runs a command line (holds while cli is absent).
 *   <li>{@link #featuresUseConfigOnlyForSettings}: {@code config} is cross-cutting wiring; a feature
 *       may read its settings ({@code @ConfigurationProperties} classes) but nothing else of it.
 *   <li>{@link #theRootPackageHoldsOnlyTheApplication}: the root package is the
 *       {@code @SpringBootApplication} class, nothing else (Spring's "Structuring Your Code").
 *   <li>{@link #publicOnlyWhatAnotherPackageUses}: package-private by default; a public top-level class
 *       is used from another package or called by Spring, HAPI or the JVM (issue 17).
 * </ol>
 *
 * <p>ArchUnit reads bytecode: a {@code static final} constant of another class (a header name, a
 * path) is copied into the class that uses it and is no dependency here, as it is none at run time.
 */
@AnalyzeClasses(
		packages = {"vn.ehealth.fhir.server", "vn.ehealth.fhir.profiles", "vn.ehealth.fhir.terminology", "vn.ehealth.fhir.igpackage"},
		importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	private static final String SERVER = "vn.ehealth.fhir.server";
	/** Every package below the root: the features, {@code config}, {@code cli}. */
	private static final String SERVER_PACKAGES = SERVER + ".*..";
	private static final String CLI = SERVER + ".cli..";
	private static final String CONFIG = SERVER + ".config..";

	/**
	 * Dependencies (origin class, target class) that close a cycle between packages today, allowed
	 * until the work named removes them; a cycle through any other edge fails the build.
	 */
	static final String[][] ALLOWED_BACK_EDGES = {
		// the REST server's CapabilityStatement names the installed guide (implementationGuide), which validation loads
		{SERVER + ".rest.FhirRestServerConfig", SERVER + ".validation.GuidePackage"},
	};

	@ArchTest
	static final ArchRule serverNeverDependsOnTheTestsModule = noClasses()
			.that().resideInAPackage(SERVER + "..")
			.should().dependOnClassesThat().resideInAnyPackage(
					"vn.ehealth.fhir.tests..", "vn.ehealth.fhir.synth..", "vn.ehealth.fhir.bench..")
			.because("house-style: fhir-server must never depend on tests; nothing depends on tests");

	@ArchTest
	static final ArchRule guideModulesNeverDependOnTheServerSpringOrHapiJpa = noClasses()
			.that().resideInAnyPackage("vn.ehealth.fhir.profiles..", "vn.ehealth.fhir.terminology..", "vn.ehealth.fhir.igpackage..")
			.should().dependOnClassesThat().resideInAnyPackage(SERVER + "..", "org.springframework..", "ca.uhn.fhir.jpa..")
			.because("house-style: the identifier rules, terminology and the guide package are usable outside the server");

	@ArchTest
	static final ArchRule featurePackagesAreFreeOfCycles = allowingBackEdges(
			slices().matching(SERVER + ".(*)..").namingSlices("package $1").should().beFreeOfCycles());

	@ArchTest
	static final ArchRule onlyTheApplicationDependsOnCli = classes()
			.that().resideInAPackage(CLI)
			.should().onlyHaveDependentClassesThat().resideInAnyPackage(CLI, SERVER)
			.because("house-style: cli may use every feature, so no feature may use cli (that would be a cycle)")
			.allowEmptyShould(true);

	@ArchTest
	static final ArchRule featuresUseConfigOnlyForSettings = noClasses()
			.that().resideInAPackage(SERVER_PACKAGES).and().resideOutsideOfPackages(CONFIG, CLI)
			.should().dependOnClassesThat(resideInAPackage(CONFIG).and(DescribedPredicate.not(settings())))
			.because("house-style: config is cross-cutting wiring; a feature reads settings, it does not reach into the wiring");

	@ArchTest
	static final ArchRule theRootPackageHoldsOnlyTheApplication = classes()
			.that().resideInAPackage(SERVER)
			.should().beAnnotatedWith(SpringBootApplication.class)
			.because("house-style: the root package holds the Application, nothing else");

	/**
	 * Top-level classes public only for a reason the compiler does not see: loaded by name
	 * (spring.factories, Tomcat's setProtocol/setErrorReportValveClass),
	 * read and written by Jackson, or used only by the {@code tests} module (not imported here).
	 */
	static final Set<String> PUBLIC_FOR_OTHERS = Set.of(
			SERVER + ".config.SettingsCheck", SERVER + ".observability.RefusalLogFilter",
			SERVER + ".rest.Utf8RequestTargetProtocol", SERVER + ".rest.OperationOutcomeErrorReportValve",
			SERVER + ".bulk.ExportRequest", SERVER + ".bulkimport.Checkpoint", SERVER + ".bulkimport.ImportJob",
			SERVER + ".storage.OwnTablesMigration", SERVER + ".guide.Html", SERVER + ".rest.RequestPipeline",
			SERVER + ".sync.ProvinceSync");

	@ArchTest
	static final ArchRule publicOnlyWhatAnotherPackageUses = classes()
			.that().resideInAPackage(SERVER_PACKAGES)
			.should(beUsedFromAnotherPackageOrCalledByTheFramework())
			.because("issue 17: package-private by default; public only what another package, Spring, HAPI or the tests use");

	private static SliceRule allowingBackEdges(SliceRule rule) {
		for (String[] edge : ALLOWED_BACK_EDGES) {
			rule = rule.ignoreDependency(edge[0], edge[1]);
		}
		return rule;
	}

	/**
	 * A public top-level class is justified when it or one of its nested classes is used from another
	 * package (ArchUnit sees dependencies; a String or primitive constant is inlined where it is used, so
	 * declaring a public one counts), is a settings record, has a main method or a HAPI-annotated method
	 * (HAPI calls public methods of public classes only: providers, interceptors), or is listed in
	 * {@link #PUBLIC_FOR_OTHERS}. Checked per top-level class once all its nested classes are seen.
	 */
	private static ArchCondition<JavaClass> beUsedFromAnotherPackageOrCalledByTheFramework() {
		return new ArchCondition<>("be used from another package, or be called by Spring, HAPI or the JVM") {
			private final Map<JavaClass, Boolean> justified = new HashMap<>();

			@Override
			public void init(Collection<JavaClass> allClasses) {
				justified.clear();
			}

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				JavaClass top = type;
				while (top.getEnclosingClass().isPresent()) {
					top = top.getEnclosingClass().get();
				}
				if (top.getModifiers().contains(JavaModifier.PUBLIC)) {
					justified.merge(top, isJustified(type, top), Boolean::logicalOr);
				}
			}

			@Override
			public void finish(ConditionEvents events) {
				justified.forEach((top, ok) -> events.add(new SimpleConditionEvent(top, ok,
						top.getName() + (ok ? " is used from elsewhere" : " is public but no other package uses it: make it package-private"))));
			}
		};
	}

	private static boolean isJustified(JavaClass type, JavaClass top) {
		return type.getDirectDependenciesToSelf().stream().anyMatch(d -> !d.getOriginClass().getPackageName().equals(type.getPackageName()))
				|| isSettings(type) || PUBLIC_FOR_OTHERS.contains(top.getName())
				|| type.getFields().stream().anyMatch(f -> f.getModifiers().containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC, JavaModifier.FINAL))
						&& (f.getRawType().isPrimitive() || f.getRawType().isEquivalentTo(String.class)))
				|| type.getMethods().stream().anyMatch(m -> m.getName().equals("main") && m.getModifiers().contains(JavaModifier.STATIC)
						|| m.getAnnotations().stream().anyMatch(a -> a.getRawType().getPackageName().startsWith("ca.uhn.fhir")));
	}

	/** A settings class: annotated {@code @ConfigurationProperties}, or nested in one (its groups of keys). */
	private static DescribedPredicate<JavaClass> settings() {
		return DescribedPredicate.describe("settings (@ConfigurationProperties)", ArchitectureTest::isSettings);
	}

	private static boolean isSettings(JavaClass type) {
		for (Optional<JavaClass> c = Optional.of(type); c.isPresent(); c = c.get().getEnclosingClass()) {
			if (c.get().isAnnotatedWith(ConfigurationProperties.class)) {
				return true;
			}
		}
		return false;
	}
}
