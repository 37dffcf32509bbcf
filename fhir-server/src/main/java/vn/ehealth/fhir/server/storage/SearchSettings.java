package vn.ehealth.fhir.server.storage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The full-text and terminology search index (Hibernate Search): Lucene on local disk, or an
 * Elasticsearch/OpenSearch cluster shared by several nodes.
 *
 * @param backend {@code lucene}: an index on local disk under data-dir/lucene (one node);
 *     {@code elasticsearch}: an Elasticsearch/OpenSearch cluster (several nodes)
 * @param luceneDir Lucene index directory; empty means data-dir/lucene
 * @param elasticsearchHosts Elasticsearch/OpenSearch hosts, host:port, comma separated
 * @param elasticsearchProtocol {@code http} or {@code https}
 * @param elasticsearchUsername user name on the cluster; empty = none
 * @param elasticsearchPassword password of that user
 * @param elasticsearchVersion cluster version, e.g. "opensearch:2.19" or "8.15"; empty means ask the
 *     cluster at startup
 * @param indexPrefix prefix of every index name, so several deployments can share one cluster
 * @param indexingSync when a write returns relative to the index: {@code read-sync} waits until a
 *     search sees it, {@code write-sync} until it is durable (searches see it after the cluster's
 *     refresh interval, 1 s by default), {@code async} not at all. Empty: read-sync on Lucene,
 *     write-sync on a cluster (a refresh per write would slow every write several-fold)
 * @param elasticsearchRequiredIndexStatus lowest index health the server starts with: yellow (a
 *     single-node cluster has no replicas) or green (red: start whatever the health)
 * @param tokenTextIndex index the display text of codes (Coding.display, CodeableConcept.text) so a
 *     token search may take :text; off, a resource is stored with 2–5 fewer index rows (of 14–20) and
 *     :text on a token is a 400 (the text is still found by _content). Changed on a database that
 *     holds resources, HAPI's $reindex (an admin operation, vietfhir.fhir.admin-operations) brings
 *     the earlier ones in line
 */
@ConfigurationProperties(SearchSettings.PREFIX)
@Validated
public record SearchSettings(
		@DefaultValue("lucene") @NotNull SearchBackend backend,
		Path luceneDir,
		@DefaultValue("localhost:9200") @NotBlank String elasticsearchHosts,
		@DefaultValue("http") @Pattern(regexp = "(?i)https?") String elasticsearchProtocol,
		String elasticsearchUsername,
		String elasticsearchPassword,
		String elasticsearchVersion,
		@DefaultValue("vietfhir") @NotBlank String indexPrefix,
		IndexingSync indexingSync,
		@DefaultValue("yellow") @Pattern(regexp = "(?i)green|yellow|red") String elasticsearchRequiredIndexStatus,
		@DefaultValue("false") boolean tokenTextIndex) {

	static final String PREFIX = "vietfhir.search";
	/** The backend key, for {@code @ConditionalOnProperty}. */
	public static final String BACKEND_KEY = PREFIX + ".backend";
	/** The token text key, for {@code @ConditionalOnProperty}. */
	public static final String TOKEN_TEXT_INDEX_KEY = PREFIX + ".token-text-index";

	/** {@link #indexingSync}, or the backend's default when not set. */
	public IndexingSync indexingSyncOrDefault() {
		if (indexingSync != null) {
			return indexingSync;
		}
		return backend == SearchBackend.LUCENE ? IndexingSync.READ_SYNC : IndexingSync.WRITE_SYNC;
	}

	public enum SearchBackend {
		/** Lucene index on local disk under dataDir/lucene (one node). */
		LUCENE,
		/** An Elasticsearch/OpenSearch cluster (several nodes). */
		ELASTICSEARCH
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
}
