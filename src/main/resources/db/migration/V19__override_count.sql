-- How many overrides each profile has, kept by the database in the transaction of every change to
-- user_feature_restrictions (the service's or an operator's psql), so that GET /entitlements reads
-- the profile's overrides only when it has some: most profiles have none, and joining them in cost
-- that statement about a fifth of its time (bench/README.md, "Overrides read only where there are some").
ALTER TABLE profiles ADD COLUMN override_count INTEGER NOT NULL DEFAULT 0 CHECK (override_count >= 0);

UPDATE profiles p SET override_count = o.n
FROM (SELECT profile_id, count(*) AS n FROM user_feature_restrictions GROUP BY profile_id) o
WHERE o.profile_id = p.id;

-- One UPDATE per statement and profile (a bulk insert touches each profile once). The profile's row
-- lock orders concurrent changes, so the count is exact; a profile deleted in the same statement
-- (ON DELETE CASCADE) is simply not found.
CREATE FUNCTION count_overrides() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE profiles p SET override_count = p.override_count + c.n
        FROM (SELECT profile_id, count(*) AS n FROM added GROUP BY profile_id) c WHERE p.id = c.profile_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE profiles p SET override_count = p.override_count - c.n
        FROM (SELECT profile_id, count(*) AS n FROM removed GROUP BY profile_id) c WHERE p.id = c.profile_id;
    ELSE
        -- only an override moved to another profile changes a count
        UPDATE profiles p SET override_count = p.override_count + c.n
        FROM (SELECT profile_id, sum(d) AS n
              FROM (SELECT profile_id, 1 AS d FROM added UNION ALL SELECT profile_id, -1 FROM removed) moved
              GROUP BY profile_id HAVING sum(d) <> 0) c
        WHERE p.id = c.profile_id;
    END IF;
    RETURN NULL;
END
$$;

-- PostgreSQL allows transition tables on triggers of one event each.
CREATE TRIGGER overrides_counted_insert AFTER INSERT ON user_feature_restrictions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION count_overrides();
CREATE TRIGGER overrides_counted_delete AFTER DELETE ON user_feature_restrictions
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION count_overrides();
CREATE TRIGGER overrides_counted_update AFTER UPDATE ON user_feature_restrictions
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION count_overrides();

-- TRUNCATE leaves the counts as they were: too high a count only costs a read that finds nothing.
