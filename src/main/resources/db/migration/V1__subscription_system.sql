-- Subscription system: the data model of the monolith's v9c migration
-- (v9c_subscription_system.sql), created in an empty database.
--
-- Table and column names are the seed's. Deviations, all required by the API's rules (docs/):
-- * timestamps are TIMESTAMPTZ (stored as UTC), enumerations have CHECK constraints,
--   counters and flags are NOT NULL;
-- * profiles is owned by this service; profiles.tier references tiers and NULL means
--   the base tier "disabled" (an id no tier may take);
-- * access_grants.tier_id and coupons.tier_id are ON DELETE RESTRICT, and so are the
--   feature references of usage and overrides: a tier or feature in use is never
--   deleted behind a grant, coupon, counter or override (the API answers 409);
-- * tiers.sort_order is unique (it ranks tiers);
-- * e-mail addresses and coupon codes are unique case-insensitively;
-- * access_grants records whether a grant is a Wellpass grant, its exact remaining
--   time while paused, and its revocation;
-- * the activity log, coupons and redemptions get a monotonic seq for keyset pagination.
-- Monolith-only statements (weight_log, photos, a personal e-mail address) are not
-- copied: the database starts empty, and an admin profile gets base tier selfhosted
-- when it is created or promoted.

-- ============================================================================
-- 1. app_settings - Global configuration
-- ============================================================================
CREATE TABLE app_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    description TEXT,
    updated     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- ============================================================================
-- 2. tiers - Subscription tiers
-- ============================================================================
CREATE TABLE tiers (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    description             TEXT,
    price_monthly_cents     INTEGER CHECK (price_monthly_cents >= 0),
    price_yearly_cents      INTEGER CHECK (price_yearly_cents >= 0),
    stripe_price_id_monthly TEXT,
    stripe_price_id_yearly  TEXT,
    active                  BOOLEAN NOT NULL DEFAULT true,
    sort_order              INTEGER NOT NULL DEFAULT 0,
    created                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT tiers_id_format CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    CONSTRAINT tiers_id_not_disabled CHECK (id <> 'disabled'),
    CONSTRAINT tiers_sort_order_key UNIQUE (sort_order)
);

-- ============================================================================
-- 3. features - Feature registry
-- ============================================================================
CREATE TABLE features (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT,
    category      TEXT,
    limit_type    TEXT NOT NULL DEFAULT 'count',
    reset_period  TEXT NOT NULL DEFAULT 'never',
    default_limit INTEGER,
    active        BOOLEAN NOT NULL DEFAULT true,
    created       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT features_id_format CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    CONSTRAINT features_limit_type CHECK (limit_type IN ('count', 'boolean', 'quota')),
    CONSTRAINT features_reset_period CHECK (reset_period IN ('never', 'daily', 'monthly')),
    CONSTRAINT features_default_limit CHECK (default_limit >= 0)
);

-- ============================================================================
-- 4. tier_limits - Tier x Feature matrix (NULL = unlimited, 0 = disabled)
-- ============================================================================
CREATE TABLE tier_limits (
    id          TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    tier_id     TEXT NOT NULL REFERENCES tiers (id) ON DELETE CASCADE,
    feature_id  TEXT NOT NULL REFERENCES features (id) ON DELETE CASCADE,
    limit_value INTEGER CHECK (limit_value >= 0),
    created     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tier_id, feature_id)
);

-- ============================================================================
-- profiles - owned by this service (the monolith's table plus the v9c columns)
-- ============================================================================
CREATE TABLE profiles (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL,
    role               TEXT NOT NULL DEFAULT 'user',
    created            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated            TIMESTAMPTZ NOT NULL DEFAULT now(),
    tier               TEXT DEFAULT 'free' REFERENCES tiers (id) ON DELETE RESTRICT,
    trial_ends_at      TIMESTAMPTZ,
    email_verified     BOOLEAN NOT NULL DEFAULT false,
    email_verify_token TEXT,
    invited_by         TEXT REFERENCES profiles (id) ON DELETE SET NULL,
    invitation_token   TEXT,
    CONSTRAINT profiles_role CHECK (role IN ('user', 'admin'))
);
CREATE UNIQUE INDEX profiles_email_lower_key ON profiles (lower(email));

-- ============================================================================
-- 5. user_feature_restrictions - Individual user overrides
-- ============================================================================
CREATE TABLE user_feature_restrictions (
    id          TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    profile_id  TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    feature_id  TEXT NOT NULL REFERENCES features (id) ON DELETE RESTRICT,
    limit_value INTEGER CHECK (limit_value >= 0),
    reason      TEXT,
    created_by  TEXT,
    created     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (profile_id, feature_id)
);

-- ============================================================================
-- 6. user_feature_usage - Usage tracking
-- ============================================================================
CREATE TABLE user_feature_usage (
    id          TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    profile_id  TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    feature_id  TEXT NOT NULL REFERENCES features (id) ON DELETE RESTRICT,
    usage_count INTEGER NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    reset_at    TIMESTAMPTZ,
    created     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (profile_id, feature_id)
);

-- ============================================================================
-- 7. coupons - Coupon management
-- ============================================================================
CREATE TABLE coupons (
    id               TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    seq              BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    code             TEXT UNIQUE NOT NULL,
    type             TEXT NOT NULL,
    tier_id          TEXT REFERENCES tiers (id) ON DELETE RESTRICT,
    duration_days    INTEGER CHECK (duration_days > 0),
    max_redemptions  INTEGER CHECK (max_redemptions > 0),
    redemption_count INTEGER NOT NULL DEFAULT 0,
    valid_from       TIMESTAMPTZ,
    valid_until      TIMESTAMPTZ,
    active           BOOLEAN NOT NULL DEFAULT true,
    created_by       TEXT,
    description      TEXT,
    created          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT coupons_type CHECK (type IN ('single_use', 'period', 'wellpass')),
    -- the database itself never lets the count pass the maximum
    CONSTRAINT coupons_redemption_count CHECK (
        redemption_count >= 0 AND (max_redemptions IS NULL OR redemption_count <= max_redemptions))
);
-- the seed's idx_coupons_code, made unique on the lower-cased code (codes are case-insensitive)
CREATE UNIQUE INDEX idx_coupons_code ON coupons (lower(code));

-- ============================================================================
-- 9. access_grants - Time-limited access grants (pause/resume by Wellpass)
-- ============================================================================
CREATE TABLE access_grants (
    id                TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    profile_id        TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    tier_id           TEXT NOT NULL REFERENCES tiers (id) ON DELETE RESTRICT,
    granted_by        TEXT NOT NULL,
    coupon_id         TEXT REFERENCES coupons (id) ON DELETE SET NULL,
    valid_from        TIMESTAMPTZ NOT NULL,
    valid_until       TIMESTAMPTZ NOT NULL,
    is_active         BOOLEAN NOT NULL DEFAULT true,
    paused_by         TEXT REFERENCES access_grants (id) ON DELETE SET NULL,
    paused_at         TIMESTAMPTZ,
    remaining_days    INTEGER,
    -- exact remaining time of a paused grant; remaining_days is it rounded up to days
    remaining_seconds BIGINT,
    wellpass          BOOLEAN NOT NULL DEFAULT false,
    revoked_at        TIMESTAMPTZ,
    created           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT access_grants_granted_by CHECK (granted_by IN ('coupon', 'admin', 'trial', 'subscription'))
);

-- ============================================================================
-- 8. coupon_redemptions - Redemption history
-- ============================================================================
CREATE TABLE coupon_redemptions (
    id              TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    coupon_id       TEXT NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    profile_id      TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    redeemed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    access_grant_id TEXT REFERENCES access_grants (id) ON DELETE SET NULL,
    UNIQUE (coupon_id, profile_id)
);

-- ============================================================================
-- 10. user_activity_log - Activity tracking
-- ============================================================================
CREATE TABLE user_activity_log (
    id         TEXT PRIMARY KEY DEFAULT gen_random_uuid()::TEXT,
    seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    action     TEXT NOT NULL,
    details    JSONB NOT NULL DEFAULT '{}',
    ip_address TEXT,
    user_agent TEXT,
    created    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_activity_log_profile ON user_activity_log (profile_id, created DESC);
CREATE INDEX idx_activity_log_action ON user_activity_log (action, created DESC);

-- ============================================================================
-- 11. user_stats - Aggregated statistics
-- ============================================================================
CREATE TABLE user_stats (
    profile_id           TEXT PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    last_login           TIMESTAMPTZ,
    login_count          INTEGER NOT NULL DEFAULT 0 CHECK (login_count >= 0),
    weight_entries_count INTEGER NOT NULL DEFAULT 0 CHECK (weight_entries_count >= 0),
    ai_calls_count       INTEGER NOT NULL DEFAULT 0 CHECK (ai_calls_count >= 0),
    photos_count         INTEGER NOT NULL DEFAULT 0 CHECK (photos_count >= 0),
    total_data_points    INTEGER NOT NULL DEFAULT 0 CHECK (total_data_points >= 0),
    created              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated              TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- ============================================================================
-- Seed data
-- ============================================================================
INSERT INTO app_settings (key, value, description) VALUES
('trial_duration_days', '14', 'Default trial duration for new registrations'),
('post_trial_tier', 'free', 'Tier after trial expires (free/disabled)'),
('require_email_verification', 'true', 'Require email verification before activation'),
('self_registration_enabled', 'true', 'Allow self-registration'),
('trial_tier', 'premium', 'Tier a trial grants'),
('invitation_ttl_days', '7', 'Days an invitation token stays valid'),
('activity_retention_days', '365', 'Days the activity log is kept'),
('usage_reset_zone', 'UTC', 'IANA time zone of daily and monthly usage resets');

INSERT INTO tiers (id, name, description, price_monthly_cents, price_yearly_cents, active, sort_order) VALUES
('free', 'Free', 'Eingeschränkte Basis-Funktionen', NULL, NULL, true, 1),
('basic', 'Basic', 'Kernfunktionen ohne KI', 499, 4990, true, 2),
('premium', 'Premium', 'Alle Features inkl. KI und Connectoren', 999, 9990, true, 3),
('selfhosted', 'Self-Hosted', 'Unbegrenzt (für Heimserver)', NULL, NULL, false, 4);

INSERT INTO features (id, name, description, category, limit_type, reset_period, default_limit, active) VALUES
('weight_entries', 'Gewichtseinträge', 'Anzahl Gewichtsmessungen', 'data', 'count', 'never', NULL, true),
('circumference_entries', 'Umfangs-Einträge', 'Anzahl Umfangsmessungen', 'data', 'count', 'never', NULL, true),
('caliper_entries', 'Caliper-Einträge', 'Anzahl Hautfaltenmessungen', 'data', 'count', 'never', NULL, true),
('nutrition_entries', 'Ernährungs-Einträge', 'Anzahl Ernährungslogs', 'data', 'count', 'never', NULL, true),
('activity_entries', 'Aktivitäts-Einträge', 'Anzahl Trainings/Aktivitäten', 'data', 'count', 'never', NULL, true),
('photos', 'Progress-Fotos', 'Anzahl hochgeladene Fotos', 'data', 'count', 'never', NULL, true),
('ai_calls', 'KI-Analysen', 'KI-Auswertungen pro Monat', 'ai', 'count', 'monthly', 0, true),
('ai_pipeline', 'KI-Pipeline', 'Vollständige Pipeline-Analyse', 'ai', 'boolean', 'never', 0, true),
('export_csv', 'CSV-Export', 'Daten als CSV exportieren', 'export', 'boolean', 'never', 0, true),
('export_json', 'JSON-Export', 'Daten als JSON exportieren', 'export', 'boolean', 'never', 0, true),
('export_zip', 'ZIP-Export', 'Vollständiger Backup-Export', 'export', 'boolean', 'never', 0, true);

-- Tier x Feature matrix: NULL = unlimited, 0 = disabled
INSERT INTO tier_limits (tier_id, feature_id, limit_value) VALUES
('free', 'weight_entries', 30),
('free', 'circumference_entries', 10),
('free', 'caliper_entries', 10),
('free', 'nutrition_entries', 30),
('free', 'activity_entries', 30),
('free', 'photos', 5),
('free', 'ai_calls', 0),
('free', 'ai_pipeline', 0),
('free', 'export_csv', 0),
('free', 'export_json', 0),
('free', 'export_zip', 0),
('basic', 'weight_entries', NULL),
('basic', 'circumference_entries', NULL),
('basic', 'caliper_entries', NULL),
('basic', 'nutrition_entries', NULL),
('basic', 'activity_entries', NULL),
('basic', 'photos', 50),
('basic', 'ai_calls', 3),
('basic', 'ai_pipeline', 0),
('basic', 'export_csv', 1),
('basic', 'export_json', 1),
('basic', 'export_zip', 1),
('premium', 'weight_entries', NULL),
('premium', 'circumference_entries', NULL),
('premium', 'caliper_entries', NULL),
('premium', 'nutrition_entries', NULL),
('premium', 'activity_entries', NULL),
('premium', 'photos', NULL),
('premium', 'ai_calls', NULL),
('premium', 'ai_pipeline', 1),
('premium', 'export_csv', 1),
('premium', 'export_json', 1),
('premium', 'export_zip', 1),
('selfhosted', 'weight_entries', NULL),
('selfhosted', 'circumference_entries', NULL),
('selfhosted', 'caliper_entries', NULL),
('selfhosted', 'nutrition_entries', NULL),
('selfhosted', 'activity_entries', NULL),
('selfhosted', 'photos', NULL),
('selfhosted', 'ai_calls', NULL),
('selfhosted', 'ai_pipeline', 1),
('selfhosted', 'export_csv', 1),
('selfhosted', 'export_json', 1),
('selfhosted', 'export_zip', 1);

-- ============================================================================
-- Indexes (the seed's; idx_coupons_code is defined with the coupons table)
-- ============================================================================
CREATE INDEX idx_tier_limits_tier ON tier_limits (tier_id);
CREATE INDEX idx_tier_limits_feature ON tier_limits (feature_id);
CREATE INDEX idx_user_restrictions_profile ON user_feature_restrictions (profile_id);
CREATE INDEX idx_user_usage_profile ON user_feature_usage (profile_id);
CREATE INDEX idx_access_grants_profile ON access_grants (profile_id, valid_until DESC);
CREATE INDEX idx_access_grants_active ON access_grants (profile_id, is_active, valid_until DESC);
CREATE INDEX idx_coupon_redemptions_profile ON coupon_redemptions (profile_id);
-- foreign keys that deletes of tiers, coupons and profiles look up
CREATE INDEX idx_profiles_tier ON profiles (tier);
CREATE INDEX idx_access_grants_tier ON access_grants (tier_id);
CREATE INDEX idx_coupons_tier ON coupons (tier_id);
CREATE INDEX idx_usage_feature ON user_feature_usage (feature_id);
CREATE INDEX idx_restrictions_feature ON user_feature_restrictions (feature_id);
