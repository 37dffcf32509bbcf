package vn.ehealth.fhir.server.storage;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Several server nodes on one PostgreSQL (docs/scale-out.md). Nothing here needs setting for one node.
 *
 * @param startupLockTimeout how long a starting node waits for another node to finish its own start
 *     (schema update, guide package install), which nodes do one at a time
 * @param terminologyRefresh how often a node looks for code system lists (ICD-10, communes) imported
 *     through another node, and takes them into its validator
 * @param jobMaintenanceInterval how often each node runs HAPI's batch job maintenance pass, which
 *     moves every job (export, import, reindex) on by one step; each pass is a few queries on the job
 *     tables
 */
@ConfigurationProperties("vietfhir.cluster")
@Validated
public record ClusterSettings(
		@DefaultValue("10m") @NotNull Duration startupLockTimeout,
		@DefaultValue("30s") @NotNull Duration terminologyRefresh,
		@DefaultValue("1m") @NotNull Duration jobMaintenanceInterval) {}
