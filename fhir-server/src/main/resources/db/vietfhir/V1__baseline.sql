-- Our own tables (vf_*), as the server created them before migrations (each store's constructor ran
-- CREATE TABLE IF NOT EXISTS). Idempotent on purpose: a database from an earlier release has some of
-- these tables already, perhaps not all (vf_audit_volume*, vf_sync_state came later) and perhaps
-- vf_security_client without its later columns; V1 brings every such database to the same layout.
-- Never edit this file once released (Flyway checks its checksum): changes go into V2__…, V3__….

-- audit/AuditChain: the hash-chained audit trail and its patient index
CREATE TABLE IF NOT EXISTS vf_audit_event (
	seq BIGINT PRIMARY KEY,
	recorded TIMESTAMP WITH TIME ZONE NOT NULL,
	record TEXT NOT NULL,
	prev_hash CHAR(64) NOT NULL,
	hash CHAR(64) NOT NULL);
CREATE TABLE IF NOT EXISTS vf_audit_patient (
	patient VARCHAR(200) NOT NULL,
	seq BIGINT NOT NULL,
	PRIMARY KEY (patient, seq));

-- audit/AccessVolume: distinct patients per client and day, and the day's count and refusals
CREATE TABLE IF NOT EXISTS vf_audit_volume (
	day DATE NOT NULL,
	client_id VARCHAR(200) NOT NULL,
	patient VARCHAR(200) NOT NULL,
	PRIMARY KEY (day, client_id, patient));
CREATE TABLE IF NOT EXISTS vf_audit_volume_day (
	day DATE NOT NULL,
	client_id VARCHAR(200) NOT NULL,
	patients INTEGER NOT NULL,
	refused INTEGER NOT NULL,
	first_refused TIMESTAMP WITH TIME ZONE,
	PRIMARY KEY (day, client_id));

-- bulk/ExportJobStore: $export jobs
CREATE TABLE IF NOT EXISTS vf_bulk_export_job (
	id VARCHAR(64) PRIMARY KEY,
	status VARCHAR(16) NOT NULL,
	client_id VARCHAR(200),
	request TEXT NOT NULL,
	transaction_time TIMESTAMPTZ,
	created TIMESTAMPTZ NOT NULL DEFAULT now(),
	heartbeat TIMESTAMPTZ,
	finished TIMESTAMPTZ,
	progress TEXT,
	manifest TEXT,
	error TEXT,
	attempts INT NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS vf_bulk_export_job_status ON vf_bulk_export_job (status, created);

-- bulkimport/ImportJobStore: $import jobs and the lines they refused
CREATE TABLE IF NOT EXISTS vf_bulk_import_job (
	id VARCHAR(36) PRIMARY KEY,
	status VARCHAR(16) NOT NULL,
	uploaded BOOLEAN NOT NULL,
	node VARCHAR(64),
	client_id VARCHAR(200),
	facility VARCHAR(500),
	purpose VARCHAR(50),
	request TEXT NOT NULL,
	inputs TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	started_at TIMESTAMP WITH TIME ZONE,
	finished_at TIMESTAMP WITH TIME ZONE,
	heartbeat_at TIMESTAMP WITH TIME ZONE,
	transaction_time TIMESTAMP WITH TIME ZONE,
	checkpoint TEXT,
	attempts INT NOT NULL DEFAULT 0,
	message TEXT,
	failure_status INT,
	manifest TEXT);
CREATE INDEX IF NOT EXISTS vf_bulk_import_job_status ON vf_bulk_import_job (status, created_at);
CREATE TABLE IF NOT EXISTS vf_bulk_import_error (
	job_id VARCHAR(36) NOT NULL,
	input_index INT NOT NULL,
	line BIGINT NOT NULL,
	outcome TEXT NOT NULL,
	PRIMARY KEY (job_id, input_index, line));

-- sync/SyncStateStore: the province → national sync's state per source, with its lease
CREATE TABLE IF NOT EXISTS vf_sync_state (
	source VARCHAR(500) PRIMARY KEY,
	high_water_mark TIMESTAMP WITH TIME ZONE,
	last_started TIMESTAMP WITH TIME ZONE,
	last_finished TIMESTAMP WITH TIME ZONE,
	last_status VARCHAR(16),
	last_message TEXT,
	last_received BIGINT,
	last_changed BIGINT,
	last_deletions BIGINT,
	last_deleted BIGINT,
	lease_node VARCHAR(64),
	lease_until TIMESTAMP WITH TIME ZONE);

-- security/ClientRegistry: registered clients and the client-assertion ids already used
CREATE TABLE IF NOT EXISTS vf_security_client (
	client_id VARCHAR(200) PRIMARY KEY,
	name VARCHAR(500),
	jwks TEXT NOT NULL,
	scopes TEXT NOT NULL,
	purposes TEXT NOT NULL,
	facility VARCHAR(500),
	enabled BOOLEAN NOT NULL,
	registered_at TIMESTAMP WITH TIME ZONE NOT NULL);
-- added after the first release: a table from then gains them with neutral defaults
ALTER TABLE vf_security_client ADD COLUMN IF NOT EXISTS signature_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE vf_security_client ADD COLUMN IF NOT EXISTS daily_patient_limit INTEGER;
CREATE TABLE IF NOT EXISTS vf_security_assertion_jti (
	client_id VARCHAR(200) NOT NULL,
	jti VARCHAR(500) NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (client_id, jti));
