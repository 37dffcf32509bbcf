package vn.ehealth.fhir.server.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One citizen, one record (Patient/$match, the possible-duplicates review list).
 *
 * @param duplicateCheck compare every new or changed Patient with the Patients sharing a blocking key
 *     and put probable duplicates on the review list ({@code Patient/$duplicates}) (default); false only
 *     to measure what the check costs on ingest (the benchmark): the list then misses the pairs written
 *     meanwhile. {@code Patient/$match} is not affected (its index is kept either way)
 */
@ConfigurationProperties("vietfhir.identity")
public record IdentitySettings(@DefaultValue("true") boolean duplicateCheck) {}
