-- The vf_* tables as the server made them before migrations: each store's constructor ran these
-- statements (copied as they were, in start-up order), and nothing recorded a schema version.
-- Then a few rows a running server had written: two audit records (a valid chain, hashed here as
-- AuditChain does: SHA-256 of the previous hash then the record) for one patient.

CREATE TABLE IF NOT EXISTS vf_security_client (client_id VARCHAR(200) PRIMARY KEY, name VARCHAR(500), jwks TEXT NOT NULL, scopes TEXT NOT NULL, purposes TEXT NOT NULL, facility VARCHAR(500), enabled BOOLEAN NOT NULL, registered_at TIMESTAMP WITH TIME ZONE NOT NULL);
CREATE TABLE IF NOT EXISTS vf_security_assertion_jti (client_id VARCHAR(200) NOT NULL, jti VARCHAR(500) NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (client_id, jti));
ALTER TABLE vf_security_client ADD COLUMN IF NOT EXISTS signature_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE vf_security_client ADD COLUMN IF NOT EXISTS daily_patient_limit INTEGER;
CREATE TABLE IF NOT EXISTS vf_audit_event (seq BIGINT PRIMARY KEY, recorded TIMESTAMP WITH TIME ZONE NOT NULL, record TEXT NOT NULL, prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL);
CREATE TABLE IF NOT EXISTS vf_audit_patient (patient VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (patient, seq));
CREATE TABLE IF NOT EXISTS vf_audit_volume (day DATE NOT NULL, client_id VARCHAR(200) NOT NULL, patient VARCHAR(200) NOT NULL, PRIMARY KEY (day, client_id, patient));
CREATE TABLE IF NOT EXISTS vf_audit_volume_day (day DATE NOT NULL, client_id VARCHAR(200) NOT NULL, patients INTEGER NOT NULL, refused INTEGER NOT NULL, first_refused TIMESTAMP WITH TIME ZONE, PRIMARY KEY (day, client_id));
CREATE TABLE IF NOT EXISTS vf_bulk_export_job ( id VARCHAR(64) PRIMARY KEY, status VARCHAR(16) NOT NULL, client_id VARCHAR(200), request TEXT NOT NULL, transaction_time TIMESTAMPTZ, created TIMESTAMPTZ NOT NULL DEFAULT now(), heartbeat TIMESTAMPTZ, finished TIMESTAMPTZ, progress TEXT, manifest TEXT, error TEXT, attempts INT NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS vf_bulk_export_job_status ON vf_bulk_export_job (status, created);
CREATE TABLE IF NOT EXISTS vf_bulk_import_job (id VARCHAR(36) PRIMARY KEY, status VARCHAR(16) NOT NULL, uploaded BOOLEAN NOT NULL, node VARCHAR(64), client_id VARCHAR(200), facility VARCHAR(500), purpose VARCHAR(50), request TEXT NOT NULL, inputs TEXT NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, started_at TIMESTAMP WITH TIME ZONE, finished_at TIMESTAMP WITH TIME ZONE, heartbeat_at TIMESTAMP WITH TIME ZONE, transaction_time TIMESTAMP WITH TIME ZONE, checkpoint TEXT, attempts INT NOT NULL DEFAULT 0, message TEXT, failure_status INT, manifest TEXT);
CREATE INDEX IF NOT EXISTS vf_bulk_import_job_status ON vf_bulk_import_job (status, created_at);
CREATE TABLE IF NOT EXISTS vf_bulk_import_error (job_id VARCHAR(36) NOT NULL, input_index INT NOT NULL, line BIGINT NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY (job_id, input_index, line));
CREATE TABLE IF NOT EXISTS vf_sync_state (source VARCHAR(500) PRIMARY KEY, high_water_mark TIMESTAMP WITH TIME ZONE, last_started TIMESTAMP WITH TIME ZONE, last_finished TIMESTAMP WITH TIME ZONE, last_status VARCHAR(16), last_message TEXT, last_received BIGINT, last_changed BIGINT, last_deletions BIGINT, last_deleted BIGINT, lease_node VARCHAR(64), lease_until TIMESTAMP WITH TIME ZONE);

INSERT INTO vf_audit_event (seq, recorded, record, prev_hash, hash)
SELECT 1, r.recorded::timestamptz, r.record, repeat('0', 64), encode(sha256(convert_to(repeat('0', 64) || r.record, 'UTF8')), 'hex')
FROM (VALUES ('2026-01-05T02:00:00Z', '{"action":"R","client_id":"hospital-before-migrations","interaction":"read","outcome":"0","patients":["Patient/before-migrations"],"recorded":"2026-01-05T02:00:00Z","request":"GET Patient/before-migrations","resources":["Patient/before-migrations"],"seq":1,"status":200}')) AS r(recorded, record);
INSERT INTO vf_audit_event (seq, recorded, record, prev_hash, hash)
SELECT 2, r.recorded::timestamptz, r.record, p.hash, encode(sha256(convert_to(p.hash || r.record, 'UTF8')), 'hex')
FROM (VALUES ('2026-01-05T02:05:00Z', '{"action":"U","client_id":"hospital-before-migrations","interaction":"update","outcome":"0","patients":["Patient/before-migrations"],"recorded":"2026-01-05T02:05:00Z","request":"PUT Patient/before-migrations","resources":["Patient/before-migrations"],"seq":2,"status":200}')) AS r(recorded, record),
	(SELECT hash FROM vf_audit_event WHERE seq = 1) AS p;
INSERT INTO vf_audit_patient (patient, seq) VALUES ('Patient/before-migrations', 1), ('Patient/before-migrations', 2);
