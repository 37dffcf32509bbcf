-- identity/CitizenIdRegistry: one current Patient per CCCD (issue 19). The CCCD (12 digits, under either
-- namespace: ehealth.gov.vn national_id or hl7.org.vn cccd) is the key, so two nodes creating the same
-- new citizen at the same moment cannot both commit: the row is written in the Patient's own transaction.
CREATE TABLE IF NOT EXISTS vf_patient_cccd (
	cccd CHAR(12) PRIMARY KEY,
	patient_id VARCHAR(100) NOT NULL);
CREATE INDEX IF NOT EXISTS vf_patient_cccd_patient ON vf_patient_cccd (patient_id);

-- identity/CitizenIdBackfill: set once the Patients stored before this table existed have their rows
CREATE TABLE IF NOT EXISTS vf_patient_cccd_backfill (
	id INT PRIMARY KEY,
	done TIMESTAMP WITH TIME ZONE NOT NULL);
