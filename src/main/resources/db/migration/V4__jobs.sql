-- Background jobs (docs/jobs.md): the indexes their batches are selected by.

-- counters whose period has ended (reset-usage)
CREATE INDEX idx_user_usage_reset_at ON user_feature_usage (reset_at) WHERE reset_at IS NOT NULL;
-- activity past its retention (prune)
CREATE INDEX idx_activity_log_created ON user_activity_log (created);
-- failed redemption attempts that left their window (prune)
CREATE INDEX idx_redemption_failures_failed_at ON redemption_failures (failed_at);
-- foreign keys with ON DELETE SET NULL: erasing a profile (or its grants) looks these up
CREATE INDEX idx_profiles_invited_by ON profiles (invited_by) WHERE invited_by IS NOT NULL;
CREATE INDEX idx_coupon_redemptions_grant ON coupon_redemptions (access_grant_id) WHERE access_grant_id IS NOT NULL;
