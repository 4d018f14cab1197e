-- Erasing a profile erases everything of it, including the answers stored for retries of requests
-- about it that other tokens made: a service's registration (its answer holds the e-mail address),
-- consumes, grants and redemptions. Each stored answer now names the profile it is about.
-- Answers stored before this version name none; they are forgotten by prune within 24 hours.
ALTER TABLE idempotency_keys ADD COLUMN profile_id TEXT;
CREATE INDEX idx_idempotency_keys_profile ON idempotency_keys (profile_id) WHERE profile_id IS NOT NULL;
