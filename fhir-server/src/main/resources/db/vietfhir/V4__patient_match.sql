-- identity/MatchIndex: what Patient/$match and the duplicate check compare, written in each Patient's own
-- transaction (issue 19). One row of normalised features per current Patient (a Patient merged away, i.e.
-- with a replaced-by link, or deleted, has none) ...
CREATE TABLE IF NOT EXISTS vf_patient_match (
	patient_id VARCHAR(100) PRIMARY KEY,
	province VARCHAR(8),
	features TEXT NOT NULL);

-- ... and its blocking keys (CCCD, CMND, BHXH number, phone, birth date with sex, name with birth year,
-- all without diacritics): a lookup reads only the Patients sharing a key, so its cost does not grow
-- with the population.
CREATE TABLE IF NOT EXISTS vf_patient_match_key (
	match_key VARCHAR(200) NOT NULL,
	patient_id VARCHAR(100) NOT NULL,
	PRIMARY KEY (match_key, patient_id));
CREATE INDEX IF NOT EXISTS vf_patient_match_key_patient ON vf_patient_match_key (patient_id);

-- identity/DuplicateCheck: probable duplicate pairs (patient_a < patient_b) for review per province;
-- a reviewer's "not a duplicate" stays (status not-duplicate) so the pair is never suggested again.
CREATE TABLE IF NOT EXISTS vf_patient_duplicate (
	patient_a VARCHAR(100) NOT NULL,
	patient_b VARCHAR(100) NOT NULL,
	score NUMERIC(4, 3) NOT NULL,
	grade VARCHAR(16) NOT NULL,
	evidence TEXT NOT NULL,
	province VARCHAR(8),
	status VARCHAR(16) NOT NULL DEFAULT 'open',
	found TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
	decided TIMESTAMP WITH TIME ZONE,
	decided_by VARCHAR(200),
	PRIMARY KEY (patient_a, patient_b));
CREATE INDEX IF NOT EXISTS vf_patient_duplicate_review ON vf_patient_duplicate (status, province);
CREATE INDEX IF NOT EXISTS vf_patient_duplicate_b ON vf_patient_duplicate (patient_b);

-- identity/MatchIndexBackfill: set once the Patients stored before these tables existed have their rows
CREATE TABLE IF NOT EXISTS vf_patient_match_backfill (
	id INT PRIMARY KEY,
	done TIMESTAMP WITH TIME ZONE NOT NULL);
