-- Coupons, access grants and the Wellpass rule (docs/coupons.md, docs/grants.md).

-- Failed redemption attempts (answers 404, 409, 410), for the sliding 15-minute limit.
-- Kept in PostgreSQL so that the limit holds across replicas.
CREATE TABLE redemption_failures (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    failed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_redemption_failures_profile ON redemption_failures (profile_id, failed_at);

-- the grants a Wellpass grant paused, found when it ends
CREATE INDEX idx_access_grants_paused_by ON access_grants (paused_by) WHERE paused_by IS NOT NULL;
-- grants that are due to expire, found by the expiry job and by every settle of a profile
CREATE INDEX idx_access_grants_due ON access_grants (valid_until) WHERE is_active;
-- a coupon's redemptions, newest first
CREATE INDEX idx_coupon_redemptions_coupon ON coupon_redemptions (coupon_id, seq);
