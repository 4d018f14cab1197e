-- Every tier's limit of every feature, resolved (docs/entitlements.md, "How a check is answered"):
-- the tier's limit, else the feature's default, with the feature's attributes, the tier's name and
-- the two settings a check reads. A check of one feature reads the profile, this row, the override
-- and the counter, each by key, instead of settings, tier, feature and tier limit. The catalog is
-- small (tiers x features rows), so every change to it writes the whole table again, in the same
-- transaction, by trigger: whoever makes the change (the service, an operator's psql), a check
-- never sees the catalog and its resolution disagree.
CREATE TABLE catalog_limits (
    tier_id              TEXT NOT NULL,
    feature_id           TEXT NOT NULL,
    tier_name            TEXT,
    -- null is unlimited
    limit_value          INTEGER,
    -- tier or default: an override, read at every check, comes first
    limit_source         TEXT NOT NULL,
    limit_type           TEXT NOT NULL,
    reset_period         TEXT NOT NULL,
    active               BOOLEAN NOT NULL,
    category             TEXT,
    require_verification BOOLEAN NOT NULL,
    reset_zone           TEXT NOT NULL,
    PRIMARY KEY (tier_id, feature_id)
);

-- The same rule as EntitlementSql (TIER_LIMIT, and SettingKey's defaults);
-- ResolvedLimitTest compares the two for every tier and feature.
CREATE FUNCTION refresh_catalog_limits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM catalog_limits;
    INSERT INTO catalog_limits (tier_id, feature_id, tier_name, limit_value, limit_source, limit_type, reset_period,
                                active, category, require_verification, reset_zone)
    SELECT t.id, f.id, t.name,
           CASE WHEN tl.tier_id IS NOT NULL THEN tl.limit_value ELSE f.default_limit END,
           CASE WHEN tl.tier_id IS NOT NULL THEN 'tier' ELSE 'default' END,
           f.limit_type, f.reset_period, f.active, f.category,
           coalesce((SELECT value FROM app_settings WHERE key = 'require_email_verification'), 'true') = 'true',
           coalesce((SELECT value FROM app_settings WHERE key = 'usage_reset_zone'), 'UTC')
    FROM tiers t CROSS JOIN features f LEFT JOIN tier_limits tl ON tl.tier_id = t.id AND tl.feature_id = f.id;
    RETURN NULL;
END
$$;

-- BEFORE each changing statement: one catalog change at a time, and it takes the lock before it
-- touches a catalog row, so two changes wait for each other instead of deadlocking. Checks only
-- read catalog_limits and never wait for the lock.
CREATE FUNCTION lock_catalog_limits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE catalog_limits IN SHARE ROW EXCLUSIVE MODE;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    catalog_table TEXT;
BEGIN
    FOREACH catalog_table IN ARRAY ARRAY['tiers', 'features', 'tier_limits', 'app_settings'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION lock_catalog_limits()', catalog_table || '_lock_limits', catalog_table);
        -- after the statement, with a snapshot of its own: it sees the change and every committed one
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION refresh_catalog_limits()', catalog_table || '_limits', catalog_table);
    END LOOP;
END
$$;

-- what the catalog holds now
UPDATE tier_limits SET limit_value = limit_value WHERE false;
