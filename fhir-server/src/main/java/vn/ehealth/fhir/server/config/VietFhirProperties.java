package vn.ehealth.fhir.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Every VietFHIR setting in one typed place (prefix {@code vietfhir}). Spring Boot's own settings
 * (server.port, spring.datasource.*, management.*) keep their standard names; see application.yaml.
 */
@ConfigurationProperties(prefix = "vietfhir")
public class VietFhirProperties {

	/** Root of everything the server keeps on local disk: embedded PostgreSQL data, Lucene index. */
	private Path dataDir = Path.of("data");

	private final Database database = new Database();
	private final Fhir fhir = new Fhir();
	private final Search search = new Search();
	private final Validation validation = new Validation();
	private final Security security = new Security();
	private final BulkExport bulkExport = new BulkExport();
	private final Safeguards safeguards = new Safeguards();
	private final Cluster cluster = new Cluster();
	private final BulkImport bulkImport = new BulkImport();

	public Path getDataDir() {
		return dataDir;
	}

	public void setDataDir(Path dataDir) {
		this.dataDir = dataDir;
	}

	public Database getDatabase() {
		return database;
	}

	public Fhir getFhir() {
		return fhir;
	}

	public Search getSearch() {
		return search;
	}

	public Validation getValidation() {
		return validation;
	}

	public Security getSecurity() {
		return security;
	}

	public BulkExport getBulkExport() {
		return bulkExport;
	}

	public Safeguards getSafeguards() {
		return safeguards;
	}

	public Cluster getCluster() {
		return cluster;
	}

	public BulkImport getBulkImport() {
		return bulkImport;
	}

	public enum ValidationMode {
		/** Refuse a write that breaks the profile: 422 with every error, nothing stored. */
		ENFORCE,
		/** Store the write and report the issues (response header, and the OperationOutcome on request). */
		WARN,
		/** Do not validate writes of this type. */
		OFF
	}

	public static class Validation {
		/** Mode for every resource type the guide profiles, unless {@link #modes} says otherwise. */
		private ValidationMode defaultMode = ValidationMode.ENFORCE;
		/** Per resource type, e.g. {@code Observation: warn}. */
		private java.util.Map<String, ValidationMode> modes = new java.util.LinkedHashMap<>();
		/** Further FHIR packages (.tgz files) to load for $validate and profiles, e.g. IPS or the Ministry's draft guide. */
		private List<Path> extraPackages = new ArrayList<>();

		public ValidationMode getDefaultMode() {
			return defaultMode;
		}

		public void setDefaultMode(ValidationMode defaultMode) {
			this.defaultMode = defaultMode;
		}

		public java.util.Map<String, ValidationMode> getModes() {
			return modes;
		}

		public void setModes(java.util.Map<String, ValidationMode> modes) {
			this.modes = modes;
		}

		public List<Path> getExtraPackages() {
			return extraPackages;
		}

		public void setExtraPackages(List<Path> extraPackages) {
			this.extraPackages = extraPackages;
		}

		/**
		 * Longest chain of entries of one transaction that refer to each other by fullUrl (entry i to
		 * entry i-1); a deeper one is refused before validation, whose checks of in-bundle references
		 * recurse along the chain (200 links overflowed its stack).
		 */
		private int maxReferenceChain = 50;

		public int getMaxReferenceChain() {
			return maxReferenceChain;
		}

		public void setMaxReferenceChain(int maxReferenceChain) {
			this.maxReferenceChain = maxReferenceChain;
		}

		public ValidationMode modeFor(String resourceType) {
			return modes.getOrDefault(resourceType, defaultMode);
		}
	}

	public enum DatabaseMode {
		/** PostgreSQL started by the application from the zonky binaries jar, data under dataDir/postgres. */
		EMBEDDED,
		/** An external PostgreSQL given by spring.datasource.url / username / password. */
		EXTERNAL
	}

	public static class Database {
		private DatabaseMode mode = DatabaseMode.EMBEDDED;
		/** Port of the embedded PostgreSQL on loopback; 0 picks a free port at each start. */
		private int embeddedPort = 0;
		/** Embedded PostgreSQL data directory; defaults to dataDir/postgres. */
		private Path embeddedDataDir;
		/** max_connections of the embedded PostgreSQL: a little above the connection pool size. */
		private int embeddedMaxConnections = 40;
		/** shared_buffers of the embedded PostgreSQL. */
		private String embeddedSharedBuffers = "256MB";

		public DatabaseMode getMode() {
			return mode;
		}

		public void setMode(DatabaseMode mode) {
			this.mode = mode;
		}

		public int getEmbeddedPort() {
			return embeddedPort;
		}

		public void setEmbeddedPort(int embeddedPort) {
			this.embeddedPort = embeddedPort;
		}

		public Path getEmbeddedDataDir() {
			return embeddedDataDir;
		}

		public void setEmbeddedDataDir(Path embeddedDataDir) {
			this.embeddedDataDir = embeddedDataDir;
		}

		public int getEmbeddedMaxConnections() {
			return embeddedMaxConnections;
		}

		public void setEmbeddedMaxConnections(int embeddedMaxConnections) {
			this.embeddedMaxConnections = embeddedMaxConnections;
		}

		public String getEmbeddedSharedBuffers() {
			return embeddedSharedBuffers;
		}

		public void setEmbeddedSharedBuffers(String embeddedSharedBuffers) {
			this.embeddedSharedBuffers = embeddedSharedBuffers;
		}
	}

	public static class Fhir {
		/** Public base URL written into links; empty means "as the request came in". */
		private String serverAddress = "";
		private int defaultPageSize = 20;
		private int maxPageSize = 500;
		/** Largest request body accepted; larger ones get 413 with an OperationOutcome. */
		private DataSize maxRequestSize = DataSize.ofMegabytes(20);
		/** How long identical searches reuse cached results (ms); 0 = always fresh. */
		private long reuseCachedSearchResultsMillis = 0;
		/** Threads that process batch bundle entries in parallel. */
		private int bundleBatchPoolSize = 2;
		/** Base URLs treated as this server's own in references (e.g. the public hostname). */
		private List<String> localBaseUrls = new ArrayList<>();
		/**
		 * Ids the server gives new resources: {@code sequential} (1, 2, 3…) or {@code uuid}. A server whose
		 * data is synced into another (a province into the national server) uses uuid, so its ids are unique
		 * across servers and accepted there as client-assigned ids (purely numeric ones are not).
		 */
		private ServerIdStrategy serverIdStrategy = ServerIdStrategy.SEQUENTIAL;
		/**
		 * Who answers {@code Patient/[id]/$everything}: {@code vietfhir} (ours: one patient's record read
		 * straight from the tables, paged by key) or {@code hapi} (HAPI's stock operation, kept for
		 * side-by-side benchmarks).
		 */
		private EverythingEngine everythingEngine = EverythingEngine.VIETFHIR;
		/**
		 * The summary reads at most this many of a patient's records of each type, the newest stored: a
		 * record fed by a monitor (an observation a minute) would otherwise be read whole for one document.
		 */
		private int summaryMaxPerType = 5_000;
		/**
		 * HAPI's admin and maintenance operations turned on ({@code $expunge}, {@code $reindex}, …; see
		 * rest/AdminOperations): none by default, as {@code $expunge} erases history for good and
		 * Circular 38/2024 requires the record to be kept. Those turned on need the {@code vietfhir/admin} scope.
		 */
		private List<String> adminOperations = new ArrayList<>();

		public List<String> getAdminOperations() {
			return adminOperations;
		}

		public void setAdminOperations(List<String> adminOperations) {
			this.adminOperations = adminOperations;
		}

		/** Browser apps allowed to call the server (CORS); empty = none. */
		private final Cors cors = new Cors();

		public Cors getCors() {
			return cors;
		}

		public static class Cors {
			/**
			 * Origins (scheme://host[:port]) whose pages may call /fhir, /auth and /admin from a browser;
			 * {@code *} for any. Empty (the default): no CORS headers, browsers refuse cross-origin calls.
			 */
			private List<String> allowedOrigins = new ArrayList<>();

			public List<String> getAllowedOrigins() {
				return allowedOrigins;
			}

			public void setAllowedOrigins(List<String> allowedOrigins) {
				this.allowedOrigins = allowedOrigins;
			}
		}

		public int getSummaryMaxPerType() {
			return summaryMaxPerType;
		}

		public void setSummaryMaxPerType(int summaryMaxPerType) {
			this.summaryMaxPerType = summaryMaxPerType;
		}

		public enum EverythingEngine {
			VIETFHIR,
			HAPI
		}

		public EverythingEngine getEverythingEngine() {
			return everythingEngine;
		}

		public void setEverythingEngine(EverythingEngine everythingEngine) {
			this.everythingEngine = everythingEngine;
		}

		public String getServerAddress() {
			return serverAddress;
		}

		public void setServerAddress(String serverAddress) {
			this.serverAddress = serverAddress;
		}

		public int getDefaultPageSize() {
			return defaultPageSize;
		}

		public void setDefaultPageSize(int defaultPageSize) {
			this.defaultPageSize = defaultPageSize;
		}

		public int getMaxPageSize() {
			return maxPageSize;
		}

		public void setMaxPageSize(int maxPageSize) {
			this.maxPageSize = maxPageSize;
		}

		public DataSize getMaxRequestSize() {
			return maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

		public long getReuseCachedSearchResultsMillis() {
			return reuseCachedSearchResultsMillis;
		}

		public void setReuseCachedSearchResultsMillis(long reuseCachedSearchResultsMillis) {
			this.reuseCachedSearchResultsMillis = reuseCachedSearchResultsMillis;
		}

		public int getBundleBatchPoolSize() {
			return bundleBatchPoolSize;
		}

		public void setBundleBatchPoolSize(int bundleBatchPoolSize) {
			this.bundleBatchPoolSize = bundleBatchPoolSize;
		}

		public List<String> getLocalBaseUrls() {
			return localBaseUrls;
		}

		public void setLocalBaseUrls(List<String> localBaseUrls) {
			this.localBaseUrls = localBaseUrls;
		}

		public ServerIdStrategy getServerIdStrategy() {
			return serverIdStrategy;
		}

		public void setServerIdStrategy(ServerIdStrategy serverIdStrategy) {
			this.serverIdStrategy = serverIdStrategy;
		}

		/** Most {@code _sort} keys a search may give; a key given twice is refused whatever this says. */
		private int maxSortKeys = 5;
		/**
		 * Longest a single database statement may run (PostgreSQL {@code statement_timeout} on every
		 * pooled connection); a search cancelled by it answers 503. 0 = no limit. Bulk export lifts it
		 * for its own transaction.
		 */
		private java.time.Duration statementTimeout = java.time.Duration.ofSeconds(30);

		public int getMaxSortKeys() {
			return maxSortKeys;
		}

		public void setMaxSortKeys(int maxSortKeys) {
			this.maxSortKeys = maxSortKeys;
		}

		public java.time.Duration getStatementTimeout() {
			return statementTimeout;
		}

		public void setStatementTimeout(java.time.Duration statementTimeout) {
			this.statementTimeout = statementTimeout;
		}
	}

	public enum ServerIdStrategy {
		SEQUENTIAL,
		UUID
	}

	public enum SearchBackend {
		/** Lucene index on local disk under dataDir/lucene (one node). */
		LUCENE,
		/** An Elasticsearch/OpenSearch cluster (several nodes). */
		ELASTICSEARCH
	}

	public static class Search {
		private SearchBackend backend = SearchBackend.LUCENE;
		/** Lucene index directory; defaults to dataDir/lucene. */
		private Path luceneDir;
		/** Elasticsearch/OpenSearch hosts, host:port, comma separated. */
		private String elasticsearchHosts = "localhost:9200";
		private String elasticsearchProtocol = "http";
		private String elasticsearchUsername;
		private String elasticsearchPassword;
		/** Cluster version, e.g. "opensearch:2.19" or "8.15"; empty means ask the cluster at startup. */
		private String elasticsearchVersion;
		/** Prefix of every index name, so several deployments can share one cluster. */
		private String indexPrefix = "vietfhir";
		/**
		 * When a write returns relative to the index: READ_SYNC waits until a search sees it, WRITE_SYNC
		 * until it is durable (searches see it after the cluster's refresh interval, 1 s by default),
		 * ASYNC not at all. Empty: READ_SYNC on Lucene, WRITE_SYNC on a cluster (a refresh per write
		 * would slow every write, and the guide install at first start, several-fold).
		 */
		private IndexingSync indexingSync;
		/** Lowest index health the server starts with: YELLOW (default; a single-node cluster has no replicas) or GREEN. */
		private String elasticsearchRequiredIndexStatus = "yellow";

		public SearchBackend getBackend() {
			return backend;
		}

		public void setBackend(SearchBackend backend) {
			this.backend = backend;
		}

		public Path getLuceneDir() {
			return luceneDir;
		}

		public void setLuceneDir(Path luceneDir) {
			this.luceneDir = luceneDir;
		}

		public String getElasticsearchHosts() {
			return elasticsearchHosts;
		}

		public void setElasticsearchHosts(String elasticsearchHosts) {
			this.elasticsearchHosts = elasticsearchHosts;
		}

		public String getElasticsearchProtocol() {
			return elasticsearchProtocol;
		}

		public void setElasticsearchProtocol(String elasticsearchProtocol) {
			this.elasticsearchProtocol = elasticsearchProtocol;
		}

		public String getElasticsearchUsername() {
			return elasticsearchUsername;
		}

		public void setElasticsearchUsername(String elasticsearchUsername) {
			this.elasticsearchUsername = elasticsearchUsername;
		}

		public String getElasticsearchPassword() {
			return elasticsearchPassword;
		}

		public void setElasticsearchPassword(String elasticsearchPassword) {
			this.elasticsearchPassword = elasticsearchPassword;
		}

		public String getElasticsearchVersion() {
			return elasticsearchVersion;
		}

		public void setElasticsearchVersion(String elasticsearchVersion) {
			this.elasticsearchVersion = elasticsearchVersion;
		}

		public String getIndexPrefix() {
			return indexPrefix;
		}

		public void setIndexPrefix(String indexPrefix) {
			this.indexPrefix = indexPrefix;
		}

		public IndexingSync getIndexingSync() {
			return indexingSync;
		}

		/** {@link #indexingSync}, or the backend's default when not set. */
		public IndexingSync indexingSyncOrDefault() {
			if (indexingSync != null) {
				return indexingSync;
			}
			return backend == SearchBackend.LUCENE ? IndexingSync.READ_SYNC : IndexingSync.WRITE_SYNC;
		}

		public void setIndexingSync(IndexingSync indexingSync) {
			this.indexingSync = indexingSync;
		}

		public String getElasticsearchRequiredIndexStatus() {
			return elasticsearchRequiredIndexStatus;
		}

		public void setElasticsearchRequiredIndexStatus(String elasticsearchRequiredIndexStatus) {
			this.elasticsearchRequiredIndexStatus = elasticsearchRequiredIndexStatus;
		}
	}

	/** Hibernate Search's indexing plan synchronization strategies. */
	public enum IndexingSync {
		READ_SYNC("read-sync"),
		WRITE_SYNC("write-sync"),
		ASYNC("async");

		private final String hibernateSearchName;

		IndexingSync(String hibernateSearchName) {
			this.hibernateSearchName = hibernateSearchName;
		}

		public String hibernateSearchName() {
			return hibernateSearchName;
		}
	}

	/** SMART Backend Services tokens, scopes and purpose of use on /fhir (package {@code security}). */
	public static class Security {
		/** Require a bearer token on /fhir (except the open endpoints). Off only for local demos. */
		private boolean enabled = true;
		/** Public root URL of this server (issuer of its tokens), e.g. https://fhir.soyte.hanoi.gov.vn; empty = from the request. */
		private String issuer = "";
		/** Lifetime of the access tokens the server issues. */
		private java.time.Duration tokenLifetime = java.time.Duration.ofMinutes(5);
		/** How far exp, nbf of tokens and client assertions may be off: clocks of NTP-synced hosts differ by far less. */
		private java.time.Duration clockSkew = java.time.Duration.ofSeconds(5);
		/** Signing algorithm of the server's own tokens: ES256 or ES384 (EC key) or RS256 (RSA key). */
		private String tokenAlgorithm = "ES256";
		/** Directory of the server's signing key and admin secret; defaults to dataDir/keys. */
		private Path keysDir;
		/** Secret that authorises /admin/clients; empty = generated at first start into keysDir/admin-secret. */
		private String adminSecret = "";
		/** Issuer (iss) of access tokens from an external OpenID Connect provider that the server also accepts. */
		private String externalIssuer = "";
		/** JWKS URL of the external issuer (fetched and cached). */
		private String externalJwksUri = "";
		/** JWKS file of the external issuer, instead of the URL (offline deployments, tests). */
		private Path externalJwksFile;
		/** Accepted token audiences; empty = the FHIR base URL. */
		private List<String> audiences = new ArrayList<>();
		/** Clients registered (or updated) at every start, e.g. a facility's HIS in an automated deployment. */
		private List<BootstrapClient> bootstrapClients = new ArrayList<>();

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getIssuer() {
			return issuer;
		}

		public void setIssuer(String issuer) {
			this.issuer = issuer;
		}

		public java.time.Duration getTokenLifetime() {
			return tokenLifetime;
		}

		public void setTokenLifetime(java.time.Duration tokenLifetime) {
			this.tokenLifetime = tokenLifetime;
		}

		public java.time.Duration getClockSkew() {
			return clockSkew;
		}

		public void setClockSkew(java.time.Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public String getTokenAlgorithm() {
			return tokenAlgorithm;
		}

		public void setTokenAlgorithm(String tokenAlgorithm) {
			this.tokenAlgorithm = tokenAlgorithm;
		}

		public Path getKeysDir() {
			return keysDir;
		}

		public void setKeysDir(Path keysDir) {
			this.keysDir = keysDir;
		}

		public String getAdminSecret() {
			return adminSecret;
		}

		public void setAdminSecret(String adminSecret) {
			this.adminSecret = adminSecret;
		}

		public String getExternalIssuer() {
			return externalIssuer;
		}

		public void setExternalIssuer(String externalIssuer) {
			this.externalIssuer = externalIssuer;
		}

		public String getExternalJwksUri() {
			return externalJwksUri;
		}

		public void setExternalJwksUri(String externalJwksUri) {
			this.externalJwksUri = externalJwksUri;
		}

		public Path getExternalJwksFile() {
			return externalJwksFile;
		}

		public void setExternalJwksFile(Path externalJwksFile) {
			this.externalJwksFile = externalJwksFile;
		}

		public List<String> getAudiences() {
			return audiences;
		}

		public void setAudiences(List<String> audiences) {
			this.audiences = audiences;
		}

		public List<BootstrapClient> getBootstrapClients() {
			return bootstrapClients;
		}

		public void setBootstrapClients(List<BootstrapClient> bootstrapClients) {
			this.bootstrapClients = bootstrapClients;
		}
	}

	/** A client given in configuration rather than through /admin/clients. */
	public static class BootstrapClient {
		private String clientId;
		private String name;
		/** File holding the client's public JWKS. */
		private Path jwksFile;
		private List<String> scopes = new ArrayList<>();
		/** Allowed purposes of use; the first is the default. */
		private List<String> purposes = new ArrayList<>();
		/** The Organization the client acts for, e.g. Organization/bv-bach-mai. */
		private String facility;
		/** Whether its transaction bundles must carry a verified signature (and its other writes are refused). */
		private boolean signatureRequired;
		/** Distinct patients it may access per day; empty = vietfhir.safeguards.daily-patient-limit, 0 = no limit. */
		private Integer dailyPatientLimit;

		public String getClientId() {
			return clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public String getName() {
			return name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public Path getJwksFile() {
			return jwksFile;
		}

		public void setJwksFile(Path jwksFile) {
			this.jwksFile = jwksFile;
		}

		public List<String> getScopes() {
			return scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		public List<String> getPurposes() {
			return purposes;
		}

		public void setPurposes(List<String> purposes) {
			this.purposes = purposes;
		}

		public String getFacility() {
			return facility;
		}

		public void setFacility(String facility) {
			this.facility = facility;
		}

		public boolean isSignatureRequired() {
			return signatureRequired;
		}

		public void setSignatureRequired(boolean signatureRequired) {
			this.signatureRequired = signatureRequired;
		}

		public Integer getDailyPatientLimit() {
			return dailyPatientLimit;
		}

		public void setDailyPatientLimit(Integer dailyPatientLimit) {
			this.dailyPatientLimit = dailyPatientLimit;
		}
	}

	/**
	 * Safeguards beyond tokens and scopes (Circular 38/2024, Official letter 6827/BYT-KCB): the public
	 * directory readable without a token (package {@code directory}), and the per-client daily limit on
	 * distinct patients accessed (package {@code audit}). Signed submissions are set per client.
	 */
	public static class Safeguards {
		/** Serve the public directory types to callers without a token (read, vread, search). */
		private boolean publicDirectory = true;
		/** The resource types of the public directory (public disclosure under Circular 38/2024). */
		private List<String> publicDirectoryTypes = new ArrayList<>(List.of(
				"Organization", "Practitioner", "PractitionerRole", "HealthcareService", "Location", "ChargeItemDefinition"));
		/** Identifier systems of personal identifiers, removed from public views and not searchable without a scope. */
		private List<String> personalIdentifierSystems = new ArrayList<>(List.of(
				"http://fhir.ehealth.gov.vn/core/sid/national_id",
				"http://fhir.ehealth.gov.vn/core/sid/citizen_id",
				"http://fhir.ehealth.gov.vn/core/sid/insurance_number",
				"http://fhir.ehealth.gov.vn/core/sid/passport_number",
				"http://fhir.ehealth.gov.vn/core/sid/driver-license-number"));
		/** Requests without a token per client address and minute; beyond it 429. 0 = no limit. */
		private int publicRequestsPerMinute = 300;
		/** Distinct patients a client may access per day unless its registration says otherwise; 0 = no limit. */
		private int dailyPatientLimit = 10_000;
		/** Time zone whose midnight starts a new day for the patient limit and the volume report. */
		private String timeZone = "Asia/Ho_Chi_Minh";

		public boolean isPublicDirectory() {
			return publicDirectory;
		}

		public void setPublicDirectory(boolean publicDirectory) {
			this.publicDirectory = publicDirectory;
		}

		public List<String> getPublicDirectoryTypes() {
			return publicDirectoryTypes;
		}

		public void setPublicDirectoryTypes(List<String> publicDirectoryTypes) {
			this.publicDirectoryTypes = publicDirectoryTypes;
		}

		public List<String> getPersonalIdentifierSystems() {
			return personalIdentifierSystems;
		}

		public void setPersonalIdentifierSystems(List<String> personalIdentifierSystems) {
			this.personalIdentifierSystems = personalIdentifierSystems;
		}

		public int getPublicRequestsPerMinute() {
			return publicRequestsPerMinute;
		}

		public void setPublicRequestsPerMinute(int publicRequestsPerMinute) {
			this.publicRequestsPerMinute = publicRequestsPerMinute;
		}

		public int getDailyPatientLimit() {
			return dailyPatientLimit;
		}

		public void setDailyPatientLimit(int dailyPatientLimit) {
			this.dailyPatientLimit = dailyPatientLimit;
		}

		public String getTimeZone() {
			return timeZone;
		}

		public void setTimeZone(String timeZone) {
			this.timeZone = timeZone;
		}
	}

	/**
	 * Several server nodes on one PostgreSQL (package {@code storage} and README "Scale-out"). Nothing
	 * here needs setting for one node.
	 */
	public static class Cluster {
		/**
		 * How long a starting node waits for another node to finish its own start (schema update, guide
		 * package install), which it does one node at a time.
		 */
		private java.time.Duration startupLockTimeout = java.time.Duration.ofMinutes(10);
		/**
		 * How often a node looks for code system lists (ICD-10, communes) imported through another node,
		 * and takes them into its validator.
		 */
		private java.time.Duration terminologyRefresh = java.time.Duration.ofSeconds(30);
		/**
		 * How often each node runs HAPI's batch job maintenance pass, which moves every job (export,
		 * import, reindex) on by one step; HAPI's default, one minute, makes even a small export take a
		 * few minutes. Each pass is a few queries on the job tables.
		 */
		private java.time.Duration jobMaintenanceInterval = java.time.Duration.ofMinutes(1);

		public java.time.Duration getStartupLockTimeout() {
			return startupLockTimeout;
		}

		public void setStartupLockTimeout(java.time.Duration startupLockTimeout) {
			this.startupLockTimeout = startupLockTimeout;
		}

		public java.time.Duration getTerminologyRefresh() {
			return terminologyRefresh;
		}

		public void setTerminologyRefresh(java.time.Duration terminologyRefresh) {
			this.terminologyRefresh = terminologyRefresh;
		}

		public java.time.Duration getJobMaintenanceInterval() {
			return jobMaintenanceInterval;
		}

		public void setJobMaintenanceInterval(java.time.Duration jobMaintenanceInterval) {
			this.jobMaintenanceInterval = jobMaintenanceInterval;
		}
	}

	/** Directory of the server's token-signing key and generated admin secret. */
	public Path keysDir() {
		return security.keysDir != null ? security.keysDir : dataDir.resolve("keys");
	}

	/** Directory of the embedded PostgreSQL data. */
	public Path embeddedPostgresDir() {
		return database.embeddedDataDir != null ? database.embeddedDataDir : dataDir.resolve("postgres");
	}

	/** Directory of the local Lucene index. */
	public Path luceneDir() {
		return search.luceneDir != null ? search.luceneDir : dataDir.resolve("lucene");
	}

	/** Bulk Data $export (Bulk Data Access IG 2.0): where files go, how big, how long they are kept. */
	public static class BulkExport {

		public enum Engine {
			/** Ours: streams the stored JSON straight from the resource table. */
			VIETFHIR,
			/** HAPI's stock batch2 export (kept for side-by-side benchmarks). */
			HAPI
		}

		private Engine engine = Engine.VIETFHIR;
		/** Where NDJSON files are written; every node must see the same directory. Default: {dataDir}/bulk-export. */
		private Path directory;
		/** A type's output is split into files of at most this many resources. */
		private int maxResourcesPerFile = 100_000;
		/** Completed exports (files and status) are removed this long after they finish. */
		private java.time.Duration retention = java.time.Duration.ofHours(24);
		/** Exports run at once on this node; more wait in the queue. */
		private int workers = 1;
		/** A running job whose node has not reported for this long is taken over and restarted (crash, restart). */
		private java.time.Duration staleAfter = java.time.Duration.ofSeconds(60);
		/** How often idle workers look for queued jobs (other nodes' kick-offs). */
		private java.time.Duration pollInterval = java.time.Duration.ofSeconds(2);
		/** Retry-After sent to clients polling a running job. */
		private java.time.Duration retryAfter = java.time.Duration.ofSeconds(2);

		public Engine getEngine() {
			return engine;
		}

		public void setEngine(Engine engine) {
			this.engine = engine;
		}

		public Path getDirectory() {
			return directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public int getMaxResourcesPerFile() {
			return maxResourcesPerFile;
		}

		public void setMaxResourcesPerFile(int maxResourcesPerFile) {
			this.maxResourcesPerFile = maxResourcesPerFile;
		}

		public java.time.Duration getRetention() {
			return retention;
		}

		public void setRetention(java.time.Duration retention) {
			this.retention = retention;
		}

		public int getWorkers() {
			return workers;
		}

		public void setWorkers(int workers) {
			this.workers = workers;
		}

		public java.time.Duration getStaleAfter() {
			return staleAfter;
		}

		public void setStaleAfter(java.time.Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

		public java.time.Duration getPollInterval() {
			return pollInterval;
		}

		public void setPollInterval(java.time.Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public java.time.Duration getRetryAfter() {
			return retryAfter;
		}

		public void setRetryAfter(java.time.Duration retryAfter) {
			this.retryAfter = retryAfter;
		}
	}

	/**
	 * Bulk import ({@code $import}, package {@code bulkimport}) and the province → national sync built
	 * on it (package {@code sync}).
	 */
	public static class BulkImport {
		/**
		 * URL prefixes that $import may fetch NDJSON from (scheme, host, port and path prefix must match,
		 * e.g. {@code https://files.soyte.hanoi.gov.vn/export/}). Empty (the default): URL inputs are refused,
		 * only uploads are accepted; the server never fetches an address a client chose freely (SSRF).
		 */
		private List<String> allowedUrlPrefixes = new ArrayList<>();
		/** Largest NDJSON body uploaded to $import, and largest file fetched from an input URL. */
		private DataSize maxUploadSize = DataSize.ofGigabytes(1);
		/** Resources stored per database transaction; a failing chunk is retried entry by entry. */
		private int chunkSize = 500;
		/** Jobs one server node works on at the same time. */
		private int workers = 1;
		/** Directory of uploaded and fetched NDJSON files while their job runs; defaults to dataDir/bulk-import. */
		private Path workDir;
		/** A running job whose node has not reported for this long is taken over (its node died). */
		private java.time.Duration staleAfter = java.time.Duration.ofMinutes(2);
		/** How long finished jobs (status, manifest, error file) are kept before they are removed. */
		private java.time.Duration retention = java.time.Duration.ofDays(7);
		private final Sync sync = new Sync();

		public List<String> getAllowedUrlPrefixes() {
			return allowedUrlPrefixes;
		}

		public void setAllowedUrlPrefixes(List<String> allowedUrlPrefixes) {
			this.allowedUrlPrefixes = allowedUrlPrefixes;
		}

		public DataSize getMaxUploadSize() {
			return maxUploadSize;
		}

		public void setMaxUploadSize(DataSize maxUploadSize) {
			this.maxUploadSize = maxUploadSize;
		}

		public int getChunkSize() {
			return chunkSize;
		}

		public void setChunkSize(int chunkSize) {
			this.chunkSize = chunkSize;
		}

		public int getWorkers() {
			return workers;
		}

		public void setWorkers(int workers) {
			this.workers = workers;
		}

		public Path getWorkDir() {
			return workDir;
		}

		public void setWorkDir(Path workDir) {
			this.workDir = workDir;
		}

		public java.time.Duration getStaleAfter() {
			return staleAfter;
		}

		public void setStaleAfter(java.time.Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

		public java.time.Duration getRetention() {
			return retention;
		}

		public void setRetention(java.time.Duration retention) {
			this.retention = retention;
		}

		public Sync getSync() {
			return sync;
		}
	}

	/**
	 * The scheduled pull of another VietFHIR server's changes into this one (keys {@code
	 * vietfhir.bulk-import.sync.*}): {@code $export?_since=<high-water mark>} on the source, imported here.
	 */
	public static class Sync {
		/** Run the scheduled sync (off by default). */
		private boolean enabled = false;
		/** FHIR base URL of the source server, e.g. https://fhir.soyte.hanoi.gov.vn/fhir. */
		private String sourceBaseUrl = "";
		/** Our client id registered on the source (SMART Backend Services). */
		private String clientId = "";
		/** Private JWK file of that client (from {@code keygen}); its public half is registered on the source. */
		private Path privateKeyFile;
		/** Scopes asked of the source: bulk export needs read and search on every type. */
		private String scope = "system/*.rs";
		/** Time between the end of one run and the start of the next, unless {@link #cron} is set. */
		private java.time.Duration interval = java.time.Duration.ofMinutes(15);
		/** Spring cron expression (second minute hour day month weekday), e.g. {@code 0 0 2 * * *}; wins over interval. */
		private String cron = "";
		/** Longest wait between two polls of the source's export status, whatever its Retry-After says. */
		private java.time.Duration maxPollInterval = java.time.Duration.ofSeconds(10);
		/** Give up a run (the next run starts again from the same high-water mark) after this long. */
		private java.time.Duration timeout = java.time.Duration.ofHours(6);
		/**
		 * How far before the high-water mark each run asks the source to start: a write whose transaction
		 * began before the source's export snapshot but committed after it is dated before the mark.
		 * Resources received twice change nothing (stored by id, unchanged ones keep their version).
		 */
		private java.time.Duration overlap = java.time.Duration.ofMinutes(2);

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getSourceBaseUrl() {
			return sourceBaseUrl;
		}

		public void setSourceBaseUrl(String sourceBaseUrl) {
			this.sourceBaseUrl = sourceBaseUrl;
		}

		public String getClientId() {
			return clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public Path getPrivateKeyFile() {
			return privateKeyFile;
		}

		public void setPrivateKeyFile(Path privateKeyFile) {
			this.privateKeyFile = privateKeyFile;
		}

		public String getScope() {
			return scope;
		}

		public void setScope(String scope) {
			this.scope = scope;
		}

		public java.time.Duration getInterval() {
			return interval;
		}

		public void setInterval(java.time.Duration interval) {
			this.interval = interval;
		}

		public String getCron() {
			return cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public java.time.Duration getMaxPollInterval() {
			return maxPollInterval;
		}

		public void setMaxPollInterval(java.time.Duration maxPollInterval) {
			this.maxPollInterval = maxPollInterval;
		}

		public java.time.Duration getTimeout() {
			return timeout;
		}

		public void setTimeout(java.time.Duration timeout) {
			this.timeout = timeout;
		}

		public java.time.Duration getOverlap() {
			return overlap;
		}

		public void setOverlap(java.time.Duration overlap) {
			this.overlap = overlap;
		}
	}

	/** Directory of bulk import work files. */
	public Path bulkImportDir() {
		return bulkImport.workDir != null ? bulkImport.workDir : dataDir.resolve("bulk-import");
	}
}
