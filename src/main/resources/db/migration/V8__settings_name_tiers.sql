-- A setting that names a tier (trial_tier; post_trial_tier unless 'disabled') holds it by a
-- foreign key, like profiles, grants and coupons do: PostgreSQL itself refuses to delete a
-- named tier or to name a tier that does not exist, whatever runs concurrently.
ALTER TABLE app_settings
    ADD COLUMN tier_id TEXT GENERATED ALWAYS AS (
        CASE WHEN key = 'trial_tier' OR (key = 'post_trial_tier' AND value <> 'disabled') THEN value END
    ) STORED
    CONSTRAINT app_settings_tier_id_fkey REFERENCES tiers (id) ON DELETE RESTRICT;
