-- claimxml/ClaimXmlJobs: a job's body is kept in the database until the job ends, so that a restart
-- resumes it (from the last file finished) and any node takes over a job whose node stopped
-- reporting (issue 18). The counters at the last file boundary say where to resume.
ALTER TABLE vf_claim_xml_job ADD COLUMN IF NOT EXISTS access TEXT;
ALTER TABLE vf_claim_xml_job ADD COLUMN IF NOT EXISTS heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE vf_claim_xml_job ADD COLUMN IF NOT EXISTS errors_done INT NOT NULL DEFAULT 0;
ALTER TABLE vf_claim_xml_job ADD COLUMN IF NOT EXISTS types TEXT;

CREATE TABLE IF NOT EXISTS vf_claim_xml_job_input (
	job_id VARCHAR(36) PRIMARY KEY,
	zip BOOLEAN NOT NULL,
	body BYTEA NOT NULL);
