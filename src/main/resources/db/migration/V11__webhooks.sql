-- Webhook delivery (docs/webhooks.md): the retry window of a delivery, and the log of every attempt.

-- The first attempt opens the window in which a delivery is retried (then it is failed); a manual
-- retry or a replay opens a new one.
ALTER TABLE webhook_deliveries ADD COLUMN first_attempt_at TIMESTAMPTZ;

-- One row per HTTP attempt, whatever its outcome; the endpoint's delivery log.
CREATE TABLE webhook_attempts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id  TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_seq    BIGINT NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL,
    duration_ms  BIGINT NOT NULL,
    -- the receiver's answer, or null with error set when there was none
    status_code  INTEGER,
    error        TEXT,
    succeeded    BOOLEAN NOT NULL
);
CREATE INDEX idx_webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);
CREATE INDEX idx_webhook_attempts_event ON webhook_attempts (event_seq);
