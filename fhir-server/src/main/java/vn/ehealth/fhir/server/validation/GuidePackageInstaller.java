package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Installs the guide packages into the database (conformance resources become searchable, code
 * systems feed $lookup/$expand) when the application starts, before Tomcat takes requests, so the
 * rules hold from the first request on a fresh database. A package already stored with the same
 * bytes is left alone; changed bytes under the same version are installed again.
 */
class GuidePackageInstaller implements SmartInitializingSingleton {

	private static final Logger LOG = LoggerFactory.getLogger(GuidePackageInstaller.class);
	private static final List<String> INSTALLED_TYPES =
			List.of("StructureDefinition", "CodeSystem", "ValueSet", "ConceptMap", "SearchParameter", "NamingSystem");

	private final List<GuidePackage> packages;
	private final IPackageInstallerSvc installer;
	private final IHapiPackageCacheManager packageCache;

	GuidePackageInstaller(
			List<GuidePackage> packages, IPackageInstallerSvc installer, IHapiPackageCacheManager packageCache) {
		this.packages = packages;
		this.installer = installer;
		this.packageCache = packageCache;
	}

	@Override
	public void afterSingletonsInstantiated() {
		packages.forEach(this::installIfChanged);
	}

	/** @return true when the package was (re)installed, false when the stored copy was identical. */
	boolean installIfChanged(GuidePackage guide) {
		IHapiPackageCacheManager.PackageContents stored = packageCache.loadPackageContents(guide.id(), guide.version());
		if (stored != null && GuidePackage.sha256(stored.getBytes()).equals(guide.sha256())) {
			LOG.info("FHIR package {}#{} unchanged, not re-imported", guide.id(), guide.version());
			return false;
		}
		PackageInstallationSpec spec = new PackageInstallationSpec()
				.setName(guide.id())
				.setVersion(guide.version())
				.setPackageContents(guide.tgz())
				.setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
				.setFetchDependencies(false);
		spec.setInstallResourceTypes(INSTALLED_TYPES);
		spec.setReloadExisting(stored != null);
		long started = System.nanoTime();
		installer.install(spec);
		LOG.info(
				"FHIR package {}#{} installed from {} in {} ms",
				guide.id(),
				guide.version(),
				guide.source(),
				(System.nanoTime() - started) / 1_000_000);
		return true;
	}
}
