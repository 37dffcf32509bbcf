-- audit/AccessVolume: a client's first access of patients on a day, counted in one call (one round trip,
-- committed with it) instead of six statements and a commit from the server. Same rules as before:
-- the client's day row is locked while its count changes, so concurrent requests and several nodes
-- never count past the limit; new patients that would take the count past p_limit (0 = no limit) are
-- not counted, the refusal is (refused, first_refused).
-- Returns whether the patients were admitted, the client's count for the day after the call, and the
-- patients that are counted for the day (all of them when admitted; those counted before when not).
CREATE OR REPLACE FUNCTION vf_audit_volume_admit(
		p_day DATE, p_client VARCHAR, p_patients VARCHAR[], p_limit INTEGER, p_now TIMESTAMP WITH TIME ZONE)
	RETURNS TABLE (admitted BOOLEAN, day_count INTEGER, counted VARCHAR[])
	LANGUAGE plpgsql AS $$
DECLARE
	v_count INTEGER;
	v_before VARCHAR[];
	v_fresh VARCHAR[];
BEGIN
	INSERT INTO vf_audit_volume_day (day, client_id, patients, refused)
		VALUES (p_day, p_client, 0, 0) ON CONFLICT DO NOTHING;
	SELECT d.patients INTO v_count FROM vf_audit_volume_day d
		WHERE d.day = p_day AND d.client_id = p_client FOR UPDATE;
	SELECT COALESCE(array_agg(v.patient), '{}') INTO v_before FROM vf_audit_volume v
		WHERE v.day = p_day AND v.client_id = p_client AND v.patient = ANY (p_patients);
	SELECT COALESCE(array_agg(DISTINCT p.patient), '{}') INTO v_fresh FROM unnest(p_patients) AS p(patient)
		WHERE p.patient <> ALL (v_before);
	IF cardinality(v_fresh) = 0 THEN
		RETURN QUERY SELECT TRUE, v_count, v_before;
	ELSIF p_limit > 0 AND v_count + cardinality(v_fresh) > p_limit THEN
		UPDATE vf_audit_volume_day d SET refused = d.refused + 1, first_refused = COALESCE(d.first_refused, p_now)
			WHERE d.day = p_day AND d.client_id = p_client;
		RETURN QUERY SELECT FALSE, v_count, v_before;
	ELSE
		INSERT INTO vf_audit_volume (day, client_id, patient) SELECT p_day, p_client, unnest(v_fresh);
		UPDATE vf_audit_volume_day d SET patients = d.patients + cardinality(v_fresh)
			WHERE d.day = p_day AND d.client_id = p_client;
		RETURN QUERY SELECT TRUE, v_count + cardinality(v_fresh), v_before || v_fresh;
	END IF;
END
$$;
