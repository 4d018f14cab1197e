-- Profiles, usage and retries (docs/profiles.md, docs/usage.md, docs/idempotency.md).

-- Responses of retried writes: a key is scoped to (token subject, method, path) and kept
-- for 24 hours. A claim is 'in_progress' until the request's own transaction completes it;
-- a claim whose holder died is taken over once locked_until has passed.
CREATE TABLE idempotency_keys (
    subject         TEXT NOT NULL,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    state           TEXT NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    locked_until    TIMESTAMPTZ NOT NULL,
    created         TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subject, method, path, idempotency_key),
    CONSTRAINT idempotency_keys_state CHECK (state IN ('in_progress', 'completed'))
);
CREATE INDEX idx_idempotency_keys_expires ON idempotency_keys (expires_at);

-- Erased profiles leave only a salted hash of their e-mail address, so that registering
-- again with it starts no second trial. The salt is made once per installation.
CREATE TABLE installation (
    singleton  BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    email_salt TEXT NOT NULL
);
INSERT INTO installation (email_salt) VALUES (gen_random_uuid()::TEXT || gen_random_uuid()::TEXT);

CREATE TABLE erased_emails (
    email_hash TEXT PRIMARY KEY,
    erased_at  TIMESTAMPTZ NOT NULL
);

-- the trial rule ("at most one trial, ever") looks grants up by kind
CREATE INDEX idx_access_grants_profile_granted_by ON access_grants (profile_id, granted_by);
