-- A check's answer from two rows read by key (docs/entitlements.md, "How a check is answered"):
-- the profile and its counter row, which keeps what the check resolved for that feature last
-- time (the feature's attributes, the tier's or the default limit, the settings a check reads)
-- with the two things that resolution depends on: the effective tier it was resolved for and the
-- catalog version it was read at. A check uses the kept resolution only while both still hold,
-- and resolves again otherwise, so no change ever has to reach the counter rows it makes stale.
-- Overrides are not kept: a check reads them by key every time.

-- Bumped in the same transaction by every change to tiers, features, tier limits or settings
-- (an operator's psql included). Transactional, unlike a sequence: a resolution read in the same
-- snapshot as the catalog it was resolved from carries that catalog's version, never a newer one.
CREATE TABLE catalog_version (
    id      BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (true, 1);

-- BEFORE each statement: a catalog change locks the version row before any catalog row, so that
-- two catalog changes wait for each other in one order instead of deadlocking.
CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END
$$;
DO $$
DECLARE
    catalog_table TEXT;
BEGIN
    FOREACH catalog_table IN ARRAY ARRAY['tiers', 'features', 'tier_limits', 'app_settings'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version()', catalog_table || '_version', catalog_table);
    END LOOP;
END
$$;

-- The kept resolution; null until a check resolves it. A check of a feature the profile has no
-- counter for creates the row with a count of 0 (EntitlementSql.CHECK_ONE_STORED). No index: the
-- columns are written by HOT updates and only ever read through the row's key.
ALTER TABLE user_feature_usage
    ADD COLUMN resolved_tier                 TEXT,
    ADD COLUMN resolved_catalog              BIGINT,
    ADD COLUMN resolved_tier_name            TEXT,
    ADD COLUMN resolved_limit                INTEGER,
    -- tier or default: an override, read at every check, comes first
    ADD COLUMN resolved_limit_source         TEXT,
    ADD COLUMN resolved_limit_type           TEXT,
    ADD COLUMN resolved_reset_period         TEXT,
    ADD COLUMN resolved_feature_active       BOOLEAN,
    ADD COLUMN resolved_category             TEXT,
    ADD COLUMN resolved_require_verification BOOLEAN,
    ADD COLUMN resolved_reset_zone           TEXT;

-- A feature is in use, and cannot be deleted, while a counter of it holds a count or an override
-- names it. A counter at 0 (a check's kept resolution, or a count taken back) is not a use: it
-- goes with the feature.
CREATE FUNCTION feature_counters_at_zero_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM user_feature_usage WHERE feature_id = OLD.id AND usage_count = 0;
    RETURN OLD;
END
$$;
CREATE TRIGGER features_counters_at_zero BEFORE DELETE ON features
    FOR EACH ROW EXECUTE FUNCTION feature_counters_at_zero_deleted();

-- counter_alerts (V10__events.sql) looks at a counter's count, period and limit: keeping a
-- resolution changes none of them, so it no longer fires for such an update.
DROP TRIGGER counter_alerts ON user_feature_usage;
CREATE TRIGGER counter_alerts BEFORE UPDATE OF usage_count, reset_at, alerted_limit ON user_feature_usage
    FOR EACH ROW WHEN (NEW.usage_count >= OLD.alert_at OR NEW.alerted_limit IS DISTINCT FROM OLD.alerted_limit
                       OR (OLD.reset_at IS NOT NULL AND NEW.reset_at IS DISTINCT FROM OLD.reset_at))
    EXECUTE FUNCTION counter_alerts();
