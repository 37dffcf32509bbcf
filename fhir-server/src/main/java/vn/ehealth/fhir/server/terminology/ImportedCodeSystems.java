package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * Code systems loaded from operator files (the full ICD-10 list, the communes) join the guide's in
 * the in-memory validator, now and after every restart (they are read back from the database), and
 * on the other nodes of a cluster within {@code vietfhir.cluster.terminology-refresh}
 * ({@link #refreshFromDatabase()}).
 */
class ImportedCodeSystems implements SmartInitializingSingleton {

	private static final Logger LOG = LoggerFactory.getLogger(ImportedCodeSystems.class);

	private final GuideValidationSupport guideSupport;
	private final IValidationSupport validationChain;
	private final IFhirResourceDao<CodeSystem> codeSystemDao;
	private final IFhirResourceDao<ValueSet> valueSetDao;
	/** lastUpdated of the stored code system this node last read, by canonical URL. */
	private final Map<String, Date> readVersions = new ConcurrentHashMap<>();

	ImportedCodeSystems(
			GuideValidationSupport guideSupport,
			IValidationSupport validationChain,
			IFhirResourceDao<CodeSystem> codeSystemDao,
			IFhirResourceDao<ValueSet> valueSetDao) {
		this.guideSupport = guideSupport;
		this.validationChain = validationChain;
		this.codeSystemDao = codeSystemDao;
		this.valueSetDao = valueSetDao;
	}

	synchronized void use(CodeSystem codeSystem, ValueSet valueSet) {
		guideSupport.addCodeSystem(codeSystem);
		if (valueSet != null) {
			guideSupport.addValueSet(valueSet);
		}
		validationChain.invalidateCaches();
		// the version just stored here is known: the refresher must not read it back as "newer"
		if (codeSystem.getMeta().getLastUpdated() != null) {
			readVersions.put(codeSystem.getUrl(), codeSystem.getMeta().getLastUpdated());
		}
	}

	/** After the guide package is installed: bring back the complete lists imported earlier. */
	@Override
	public void afterSingletonsInstantiated() {
		refreshFromDatabase(); // nothing read yet: each list is read if stored
	}

	/**
	 * Another node may have imported a list into the shared database: a cheap search for a newer
	 * version of each, and only a changed one is read and used.
	 */
	synchronized void refreshFromDatabase() {
		refresh(VnTerminology.CS_ICD10, null);
		refresh(VnTerminology.CS_COMMUNE, VnTerminology.VS_COMMUNE);
	}

	/** Runs {@link #refreshFromDatabase()} on a daemon thread at a fixed delay until closed. */
	Refresher refreshEvery(java.time.Duration interval) {
		return new Refresher(this, interval);
	}

	/** The background look for imports made through other nodes. */
	static final class Refresher implements AutoCloseable {
		private final java.util.concurrent.ScheduledExecutorService executor;

		Refresher(ImportedCodeSystems target, java.time.Duration interval) {
			executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
				Thread thread = new Thread(task, "vietfhir-terminology-refresh");
				thread.setDaemon(true);
				return thread;
			});
			long every = Math.max(1, interval.toMillis());
			executor.scheduleWithFixedDelay(
					() -> {
						try {
							target.refreshFromDatabase();
						} catch (RuntimeException e) {
							LOG.warn("Could not look for code systems imported through another node: {}", e.toString());
						}
					},
					every,
					every,
					java.util.concurrent.TimeUnit.MILLISECONDS);
		}

		@Override
		public void close() {
			executor.shutdownNow();
		}
	}

	private void refresh(String codeSystemUrl, String valueSetUrl) {
		Date read = readVersions.get(codeSystemUrl);
		if (read != null) {
			SearchParameterMap newer = SearchParameterMap.newSynchronous("url", new UriParam(codeSystemUrl));
			newer.setLastUpdated(new DateRangeParam(new DateParam(ParamPrefixEnum.GREATERTHAN, read), null));
			if (codeSystemDao.search(newer, new SystemRequestDetails()).isEmpty()) {
				return;
			}
		}
		reload(codeSystemUrl, valueSetUrl);
	}

	private void reload(String codeSystemUrl, String valueSetUrl) {
		CodeSystem imported = StoredByUrl.find(codeSystemDao, codeSystemUrl).orElse(null);
		if (imported != null && imported.getMeta().getLastUpdated() != null) {
			readVersions.put(codeSystemUrl, imported.getMeta().getLastUpdated());
		}
		if (imported == null || imported.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE) {
			return; // only the guide's curated list: nothing was imported
		}
		use(imported, valueSetUrl == null ? null : StoredByUrl.find(valueSetDao, valueSetUrl).orElse(null));
		LOG.info("Using the imported {} ({} top-level concepts)", codeSystemUrl, imported.getConcept().size());
	}
}
