-- E-mail verification and invitation tokens (docs/profiles.md): random, single-use,
-- expiring, and stored only as SHA-256 hashes. The seed's profiles.email_verify_token and
-- profiles.invitation_token stay empty.
CREATE TABLE profile_tokens (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created    TIMESTAMPTZ NOT NULL,
    CONSTRAINT profile_tokens_kind CHECK (kind IN ('verification', 'invitation'))
);
CREATE INDEX idx_profile_tokens_profile ON profile_tokens (profile_id, kind) WHERE used_at IS NULL;
CREATE INDEX idx_profile_tokens_expires ON profile_tokens (expires_at);
-- the admin activity view filters by time across profiles
CREATE INDEX idx_activity_log_seq_action ON user_activity_log (action, seq);
-- a profile's activity, newest first by its monotonic key
CREATE INDEX idx_activity_log_profile_seq ON user_activity_log (profile_id, seq);
