-- reporting/MonthlyRollup: counts per month, facility, province and stratum value (issue 20), kept in the
-- write's own transaction by adding the change of its fact rows' contributions (before: minus, after:
-- plus), so a whole-month report sums these rows instead of grouping every fact of the period: its cost
-- follows the months, facilities and strata asked for, not the number of records. Every population is a
-- count of events (encounters, diagnoses) or of people counted once (a death), so months add up.
-- stratum '' holds the totals; value NULL is "not recorded". NULLS NOT DISTINCT: one row per key even so.
CREATE TABLE IF NOT EXISTS vf_report_rollup (
	indicator VARCHAR(32) NOT NULL,
	month DATE NOT NULL,
	facility VARCHAR(16),
	province VARCHAR(8),
	stratum VARCHAR(32) NOT NULL,
	value VARCHAR(32),
	n BIGINT NOT NULL,
	los_sum BIGINT NOT NULL,
	los_n BIGINT NOT NULL,
	CONSTRAINT vf_report_rollup_key UNIQUE NULLS NOT DISTINCT (indicator, month, facility, province, stratum, value));

-- what a write's change reaches: a Patient's encounters and diagnoses, an Encounter's diagnoses, a
-- facility's encounters (only when its code changes)
CREATE INDEX IF NOT EXISTS vf_report_encounter_patient ON vf_report_encounter (patient_id);
CREATE INDEX IF NOT EXISTS vf_report_encounter_organization ON vf_report_encounter (organization_id);
CREATE INDEX IF NOT EXISTS vf_report_condition_patient ON vf_report_condition (patient_id);
CREATE INDEX IF NOT EXISTS vf_report_condition_encounter ON vf_report_condition (encounter_id);
