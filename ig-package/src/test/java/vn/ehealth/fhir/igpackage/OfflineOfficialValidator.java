package vn.ehealth.fhir.igpackage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import com.google.gson.Gson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.utilities.TimeTracker;
import org.hl7.fhir.utilities.http.ManagedWebAccess;
import org.hl7.fhir.utilities.npm.CommonPackages;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.utilities.npm.FilesystemPackageCacheManager;
import org.hl7.fhir.validation.ValidationEngine;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;

/**
 * The official HL7 validator ({@code org.hl7.fhir.validation}, the version HAPI brings) run in-process
 * and offline, like {@code java -jar validator_cli.jar … -version 4.0.1 -tx n/a -language vi -ig
 * vietfhir.core-0.1.0.tgz}.
 *
 * <p>The validator takes FHIR core from its package cache ({@code ~/.fhir/packages}) and would download
 * it. Here the cache is a folder of our own (the validator reads its place from {@code user.home}),
 * filled beforehand with {@code hl7.fhir.r4.core#4.0.1} packed from the R4 definitions in HAPI's
 * validation-resources jar, and with an empty {@code hl7.fhir.xver-extensions} (the validator loads it
 * at start; the guide uses no cross-version extension). Web access is prohibited, so any attempt to
 * reach the network fails at once instead of hanging.
 */
final class OfflineOfficialValidator implements AutoCloseable {

	static final String CORE_ID = "hl7.fhir.r4.core";
	static final String CORE_VERSION = "4.0.1";

	private final ValidationEngine engine;
	private final String realHome;

	private OfflineOfficialValidator(ValidationEngine engine, String realHome) {
		this.engine = engine;
		this.realHome = realHome;
	}

	/**
	 * An engine holding FHIR core and the guide package {@code guideTgz}. {@code home} stands for the
	 * user's home until {@link #close()}: the validator opens new package caches there while it validates
	 * (e.g. for an extension's context); FHIR core is packed into it once and kept for later runs.
	 */
	static OfflineOfficialValidator start(FhirContext r4, Path home, byte[] guideTgz) throws Exception {
		ManagedWebAccess.setAccessPolicy(ManagedWebAccess.WebAccessPolicy.PROHIBITED);
		Path cache = Files.createDirectories(home.resolve(".fhir/packages"));
		String realHome = System.getProperty("user.home");
		System.setProperty("user.home", home.toAbsolutePath().toString());
		try {
			fillCache(r4, new FilesystemPackageCacheManager.Builder().withCacheFolder(cache.toString()).build());
			ValidationEngine engine = new ValidationEngine.ValidationEngineBuilder()
					.withVersion(CORE_VERSION)
					.withNoTerminologyServer() // -tx n/a
					.withTimeTracker(new TimeTracker())
					.fromSource(CORE_ID + "#" + CORE_VERSION);
			engine.setLanguage("vi"); // -language vi: our code systems' displays are Vietnamese
			// the CLI's default: references to other resources are not followed (no -check-references)
			engine.setPolicyAdvisor(new BasePolicyAdvisorForFullValidation(ReferenceValidationPolicy.IGNORE, Set.of()));
			Path guide = home.resolve("vietfhir.core.tgz");
			Files.write(guide, guideTgz);
			engine.getIgLoader().loadIg(engine.getIgs(), engine.getBinaries(), guide.toString(), false);
			engine.prepare();
			return new OfflineOfficialValidator(engine, realHome);
		} catch (Exception | Error e) {
			restore(realHome);
			throw e;
		}
	}

	/** The validator's outcome for one resource (JSON), against its meta.profile and core. */
	OperationOutcome validate(byte[] json) throws Exception {
		return engine.validate(json, FhirFormat.JSON, List.of(), new ArrayList<>());
	}

	@Override
	public void close() {
		restore(realHome);
	}

	private static void restore(String realHome) {
		System.setProperty("user.home", realHome);
		ManagedWebAccess.setAccessPolicy(ManagedWebAccess.WebAccessPolicy.DIRECT);
	}

	private static void fillCache(FhirContext r4, FilesystemPackageCacheManager pcm) throws IOException {
		if (pcm.loadPackageFromCacheOnly(CORE_ID, CORE_VERSION) == null) {
			install(pcm, CORE_ID, CORE_VERSION, corePackage(r4));
		}
		if (pcm.loadPackageFromCacheOnly(CommonPackages.ID_XVER, CommonPackages.VER_XVER) == null) {
			install(pcm, CommonPackages.ID_XVER, CommonPackages.VER_XVER,
					packageFiles(CommonPackages.ID_XVER, CommonPackages.VER_XVER, new LinkedHashMap<>()));
		}
	}

	private static void install(FilesystemPackageCacheManager pcm, String id, String version, Map<String, byte[]> files)
			throws IOException {
		Path tgz = Files.createTempFile(id, ".tgz");
		try {
			PackageBuilder.writeTgz(files, tgz);
			pcm.addPackageToCache(id, version, new ByteArrayInputStream(Files.readAllBytes(tgz)), "local: " + id);
		} finally {
			Files.deleteIfExists(tgz);
		}
	}

	/** hl7.fhir.r4.core as an NPM package: every conformance resource HAPI's R4 definitions hold. */
	private static Map<String, byte[]> corePackage(FhirContext r4) {
		IParser json = r4.newJsonParser();
		Map<String, byte[]> files = new LinkedHashMap<>();
		Set<String> names = new HashSet<>();
		DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(r4);
		// HAPI reads its bundles on first use: these two calls load the structures, then the terminology
		core.fetchAllStructureDefinitions();
		core.fetchCodeSystem("http://hl7.org/fhir/administrative-gender");
		Set<IBaseResource> resources = Collections.newSetFromMap(new IdentityHashMap<>()); // maps share resources
		resources.addAll(core.fetchAllConformanceResources());
		for (IBaseResource resource : resources) {
			Resource r = (Resource) resource;
			String name = r.fhirType() + "-" + r.getIdElement().getIdPart();
			for (int n = 2; !names.add(name); n++) {
				name = r.fhirType() + "-" + r.getIdElement().getIdPart() + "-" + n;
			}
			files.put("package/" + name + ".json", json.encodeResourceToString(r).getBytes(StandardCharsets.UTF_8));
		}
		return packageFiles(CORE_ID, CORE_VERSION, files);
	}

	private static Map<String, byte[]> packageFiles(String id, String version, Map<String, byte[]> resources) {
		Map<String, Object> manifest = new LinkedHashMap<>();
		manifest.put("name", id);
		manifest.put("version", version);
		manifest.put("type", CORE_ID.equals(id) ? "Core" : "fhir.ig");
		manifest.put("fhirVersions", List.of(CORE_VERSION));
		manifest.put("dependencies", Map.of());
		Map<String, byte[]> files = new LinkedHashMap<>(resources);
		files.put("package/package.json", new Gson().toJson(manifest).getBytes(StandardCharsets.UTF_8));
		return files;
	}
}
