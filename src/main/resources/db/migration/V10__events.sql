-- Events (docs/events.md): a transactional outbox. An event is written by the statement or
-- transaction of the change that causes it, so a rolled-back change announces nothing.

-- Each profile's events are numbered 1, 2, 3, ... in the order their transactions commit: the
-- counter row is locked by the appending transaction until it ends. Kept after an erasure, so
-- that profile.erased continues the numbering.
CREATE TABLE event_sequences (
    profile_id TEXT PRIMARY KEY,
    last       BIGINT NOT NULL
);

CREATE TABLE events (
    -- the order of insertion, for listing pages and for delivery; not a timestamp
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           UUID NOT NULL UNIQUE,
    -- no foreign key: an erased profile's events (profile.erased last) outlive it
    profile_id   TEXT NOT NULL,
    sequence     BIGINT NOT NULL,
    type         TEXT NOT NULL,
    time         TIMESTAMPTZ NOT NULL,
    data         JSONB NOT NULL,
    -- Kafka: set once the broker acknowledged the event (null while none is configured)
    published_at TIMESTAMPTZ,
    CONSTRAINT events_profile_sequence UNIQUE (profile_id, sequence)
);
CREATE INDEX idx_events_profile_seq ON events (profile_id, seq);
CREATE INDEX idx_events_type_seq ON events (type, seq);
CREATE INDEX idx_events_time ON events (time);
CREATE INDEX idx_events_unpublished ON events (seq) WHERE published_at IS NULL;

-- The effective tier a profile's events last announced (profile.tier_changed). Null: none yet;
-- the next announcement then only records it.
ALTER TABLE profiles ADD COLUMN announced_tier TEXT;

-- grant.expiring is announced once per end: the validUntil it announced. A grant whose end
-- moves (a resumed grant) is announced again before its new end.
ALTER TABLE access_grants ADD COLUMN expiring_announced_for TIMESTAMPTZ;

-- usage.threshold_reached is announced once per period per threshold: alerted_percent is the
-- highest threshold announced in the counter's current period (0 when a period starts);
-- alerted_before and rolled say what the counter's last change did (the thresholds it crossed
-- lie above alerted_before; rolled: it started a new period, announced as usage.reset).
ALTER TABLE user_feature_usage
    ADD COLUMN alerted_percent INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN alerted_before  INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN rolled          BOOLEAN NOT NULL DEFAULT false;

-- Webhook endpoints and one delivery per (endpoint, event), created with the event.
CREATE TABLE webhook_endpoints (
    id                    TEXT PRIMARY KEY,
    url                   TEXT NOT NULL,
    -- empty: every type
    event_types           TEXT[] NOT NULL DEFAULT '{}',
    description           TEXT,
    active                BOOLEAN NOT NULL DEFAULT true,
    secret                TEXT NOT NULL,
    -- after a rotation the previous secret signs beside the new one until this time
    previous_secret       TEXT,
    previous_secret_until TIMESTAMPTZ,
    created               TIMESTAMPTZ NOT NULL,
    updated               TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_seq       BIGINT NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    created         TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    PRIMARY KEY (endpoint_id, event_seq),
    CONSTRAINT webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_webhook_deliveries_event ON webhook_deliveries (event_seq);

-- New events wake the dispatchers of every replica at commit (none on a rollback). A row
-- trigger, not a statement trigger: most statements that may append events (every consume)
-- append none, and a NOTIFY costs every committing transaction a turn on one global queue.
-- PostgreSQL sends the identical notifications of one transaction once.
CREATE FUNCTION notify_events_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('events_written', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_written AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION notify_events_written();

INSERT INTO app_settings (key, value, description) VALUES
('grant_expiring_notice_days', '3', 'Days before a grant ends that grant.expiring is announced (0: never)'),
('usage_alert_thresholds', '80,100', 'Percentages of a limit at which usage.threshold_reached is announced'),
('event_retention_days', '30', 'Days events are kept');

-- The JSON of the API, for events written by set-based statements (a job expires thousands of
-- grants in one statement): a timestamp as Java's Instant writes it, a grant as GET /grants shows
-- it (EventJsonTest holds both to the API's own JSON).
CREATE FUNCTION api_instant(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN t IS NULL THEN NULL
        WHEN extract(MICROSECONDS FROM t)::BIGINT % 1000000 = 0 THEN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        WHEN extract(MICROSECONDS FROM t)::BIGINT % 1000 = 0 THEN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        ELSE to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    END
$$;

CREATE FUNCTION grant_json(g access_grants) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', g.id, 'profileId', g.profile_id, 'tierId', g.tier_id, 'grantedBy', g.granted_by,
        'couponId', g.coupon_id, 'wellpass', g.wellpass, 'validFrom', api_instant(g.valid_from),
        'validUntil', api_instant(g.valid_until), 'isActive', g.is_active, 'pausedBy', g.paused_by,
        'pausedAt', api_instant(g.paused_at), 'remainingDays', g.remaining_days,
        'remainingSeconds', g.remaining_seconds, 'revokedAt', api_instant(g.revoked_at),
        'created', api_instant(g.created))
$$;
