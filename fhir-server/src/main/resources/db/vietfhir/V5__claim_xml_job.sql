-- claimxml/ClaimXmlJobs: $import-claim-xml inputs too large for a synchronous answer (issue 18). The row is
-- what any node answers a poll from; the body itself stays in the memory of the node that received it.
CREATE TABLE IF NOT EXISTS vf_claim_xml_job (
	id VARCHAR(36) PRIMARY KEY,
	status VARCHAR(16) NOT NULL,
	node VARCHAR(64) NOT NULL,
	client_id VARCHAR(200),
	request TEXT NOT NULL,
	files INT NOT NULL,
	files_done INT NOT NULL DEFAULT 0,
	episodes_stored INT NOT NULL DEFAULT 0,
	episodes_refused INT NOT NULL DEFAULT 0,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	finished_at TIMESTAMP WITH TIME ZONE,
	message TEXT,
	manifest TEXT);

-- one refused episode (or unreadable file) of a job: its OperationOutcome (JSON), in the order met
CREATE TABLE IF NOT EXISTS vf_claim_xml_error (
	job_id VARCHAR(36) NOT NULL,
	seq INT NOT NULL,
	outcome TEXT NOT NULL,
	PRIMARY KEY (job_id, seq));
