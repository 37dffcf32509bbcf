-- reporting/ReportFacts: the facts statistics are counted from (issue 20), one row per stored Patient,
-- Encounter, Condition, facility Organization and cause-of-death Observation, written in the resource's
-- own transaction (a pre-commit hook), so a report is an indexed read of these narrow rows grouped by
-- its stratifier, never a scan of HAPI's resource table. Demographics sit on the patient row only and
-- are joined when a report runs: a changed Patient moves its counts at once. Dates are Vietnam's (UTC+7).
CREATE TABLE IF NOT EXISTS vf_report_patient (
	patient_id VARCHAR(100) PRIMARY KEY,
	sex VARCHAR(16),
	birth_date DATE,
	province VARCHAR(8),
	occupation VARCHAR(16),
	ethnicity VARCHAR(16),
	deceased_date DATE);
CREATE INDEX IF NOT EXISTS vf_report_patient_deceased ON vf_report_patient (deceased_date) WHERE deceased_date IS NOT NULL;

CREATE TABLE IF NOT EXISTS vf_report_encounter (
	encounter_id VARCHAR(100) PRIMARY KEY,
	patient_id VARCHAR(100),
	organization_id VARCHAR(100),
	class VARCHAR(16),
	start_date DATE,
	end_date DATE,
	los_days INT,
	disposition VARCHAR(32),
	primary_condition VARCHAR(100),
	primary_reason VARCHAR(16));
CREATE INDEX IF NOT EXISTS vf_report_encounter_start ON vf_report_encounter (start_date);
CREATE INDEX IF NOT EXISTS vf_report_encounter_end ON vf_report_encounter (end_date) WHERE class = 'IMP';
CREATE INDEX IF NOT EXISTS vf_report_encounter_died ON vf_report_encounter (patient_id, end_date) WHERE disposition = 'exp';

CREATE TABLE IF NOT EXISTS vf_report_condition (
	condition_id VARCHAR(100) PRIMARY KEY,
	patient_id VARCHAR(100),
	encounter_id VARCHAR(100),
	recorded_date DATE,
	icd_code VARCHAR(16) NOT NULL);
CREATE INDEX IF NOT EXISTS vf_report_condition_recorded ON vf_report_condition (recorded_date);

CREATE TABLE IF NOT EXISTS vf_report_facility (
	organization_id VARCHAR(100) PRIMARY KEY,
	code VARCHAR(16) NOT NULL,
	name VARCHAR(400));

CREATE TABLE IF NOT EXISTS vf_report_death_cause (
	observation_id VARCHAR(100) PRIMARY KEY,
	patient_id VARCHAR(100) NOT NULL,
	icd_code VARCHAR(16) NOT NULL);
CREATE INDEX IF NOT EXISTS vf_report_death_cause_patient ON vf_report_death_cause (patient_id);
