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
    id           UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    -- no foreign key: an erased profile's events (profile.erased last) outlive it
    profile_id   TEXT NOT NULL,
    -- set by the trigger events_numbered
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
-- Profiles from before this version start from their effective tier now (base tier or grants in
-- force, the most generous), so that their first change is announced like any other. A paused
-- grant whose Wellpass has ended is left to the job or write that resumes it: that announces it.
UPDATE profiles p SET announced_tier = coalesce((
    SELECT c.id FROM (
        SELECT t.id, t.sort_order FROM tiers t WHERE t.id = p.tier
        UNION ALL
        SELECT t.id, t.sort_order FROM access_grants g JOIN tiers t ON t.id = g.tier_id
        WHERE g.profile_id = p.id AND g.is_active AND g.valid_from <= now() AND now() < g.valid_until
    ) c ORDER BY c.sort_order DESC LIMIT 1), 'disabled');

-- grant.expiring is announced once per end: the validUntil it announced. A grant whose end
-- moves (a resumed grant) is announced again before its new end.
ALTER TABLE access_grants ADD COLUMN expiring_announced_for TIMESTAMPTZ;

-- usage.threshold_reached is announced once per period per threshold (trigger counter_alerts
-- below): alerted_percent is the highest threshold of usage_alert_thresholds the counter reached
-- in its current period (0 when a period starts), alerted_limit the limit it counts against (the
-- statements that change a counter keep it current), alert_at the count that reaches the next one.
ALTER TABLE user_feature_usage
    ADD COLUMN alerted_percent INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN alerted_limit   INTEGER,
    -- -1 until the alert columns are computed (a new counter, or one from before this version):
    -- the thresholds its count has reached count as announced, since the statement that inserted
    -- it announced them (a consume), or they were reached before events existed
    ADD COLUMN alert_at        INTEGER DEFAULT -1;

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

-- Writing an event is one INSERT INTO events (profile_id, type, time, data), by whoever causes it
-- (EventSql.append, the counter trigger below); these triggers do the rest, for every writer alike.
-- Numbering: each profile's events are numbered on from its counter row, which stays locked until
-- the transaction ends, so the numbers follow the order of the commits.
-- Counting: events written by type, for the metric events.written (event/EventMetrics), spread
-- over 8 rows per type by backend so that concurrent writers of one type rarely wait on each other.
CREATE TABLE event_counts (
    type    TEXT    NOT NULL,
    shard   INTEGER NOT NULL,
    written BIGINT  NOT NULL,
    PRIMARY KEY (type, shard)
);
CREATE FUNCTION number_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_sequences AS s (profile_id, last) VALUES (NEW.profile_id, 1)
    ON CONFLICT (profile_id) DO UPDATE SET last = s.last + 1
    RETURNING last INTO NEW.sequence;
    INSERT INTO event_counts AS c (type, shard, written) VALUES (NEW.type, pg_backend_pid() % 8, 1)
    ON CONFLICT (type, shard) DO UPDATE SET written = c.written + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER events_numbered BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION number_event();

-- Fan-out: one pending delivery per active webhook endpoint that wants the type, and wake-ups at
-- commit (none on a rollback; PostgreSQL sends the identical notifications of one transaction
-- once): deliveries_queued for the webhook dispatchers of every replica, only when a delivery was
-- queued (an event no endpoint wants wakes nobody), and events_written for the Kafka publishers.
CREATE FUNCTION fan_out_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_seq, next_attempt_at, created)
    SELECT w.id, NEW.seq, NEW.time, NEW.time FROM webhook_endpoints w
    WHERE w.active AND (cardinality(w.event_types) = 0 OR NEW.type = ANY (w.event_types));
    IF FOUND THEN
        PERFORM pg_notify('deliveries_queued', '');
    END IF;
    PERFORM pg_notify('events_written', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_fanned_out AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION fan_out_event();

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

-- A counter change announces itself, in its own transaction, whichever statement made it (a
-- consume, release, reconcile, reset-usage): usage.reset when its period moved on, then
-- usage.threshold_reached for every threshold it reached since. The WHEN clause keeps the common
-- change, a count below the next threshold, free of any of this: a consume pays for thresholds
-- only when it reaches one. A new counter is announced by the statement that inserts it (UsageSql
-- CONSUME): a trigger on INSERT would run for every consume, since an upsert proposes an insert
-- each time, and measurably slowed every consume.
CREATE FUNCTION usage_alert_thresholds() RETURNS INTEGER[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}') FROM unnest(string_to_array(nullif(coalesce(
        (SELECT value FROM app_settings WHERE key = 'usage_alert_thresholds'), '80,100'), ''), ',')::INTEGER[]) t
$$;

-- The highest threshold that used reaches of lim (0: none, or no limit).
CREATE FUNCTION usage_reached_percent(lim INTEGER, used BIGINT, thresholds INTEGER[])
    RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(max(t), 0) FROM unnest(thresholds) t WHERE lim > 0 AND t::BIGINT * lim <= used * 100
$$;

-- usage.threshold_reached of a counter for the thresholds above announced up to upto, in order.
CREATE FUNCTION usage_threshold_events(feature TEXT, used INTEGER, lim INTEGER, reset_at TIMESTAMPTZ,
                                       announced INTEGER, upto INTEGER, thresholds INTEGER[])
    RETURNS TABLE (type TEXT, data JSONB, ord INTEGER) LANGUAGE sql IMMUTABLE AS $$
    SELECT 'usage.threshold_reached',
           jsonb_build_object('featureId', feature, 'threshold', t, 'used', used, 'limit', lim,
                              'resetAt', api_instant(reset_at)), t
    FROM unnest(thresholds) t
    WHERE t > announced AND t <= upto
$$;

-- The thresholds a new counter's first count reached, announced by the consume that created it
-- (UsageSql.CONSUME calls it only then, so the events table is not part of a common consume).
CREATE FUNCTION usage_announce_first_count(profile TEXT, feature TEXT, used INTEGER, lim INTEGER,
                                           reset_at TIMESTAMPTZ, at TIMESTAMPTZ)
    RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    thresholds INTEGER[] := usage_alert_thresholds();
    announced INTEGER;
BEGIN
    INSERT INTO events (profile_id, type, time, data)
    SELECT profile, e.type, at, e.data
    FROM usage_threshold_events(feature, used, lim, reset_at, 0, usage_reached_percent(lim, used, thresholds),
                                thresholds) e
    ORDER BY e.ord;
    GET DIAGNOSTICS announced = ROW_COUNT;
    RETURN announced;
END
$$;

-- A changed counter: a BEFORE trigger, since it sets the row's alert columns; it runs only for
-- the row being updated, so its events are the update's.
CREATE FUNCTION counter_alerts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rolled BOOLEAN := OLD.reset_at IS NOT NULL AND NEW.reset_at IS DISTINCT FROM OLD.reset_at;
    thresholds INTEGER[] := usage_alert_thresholds();
    announced INTEGER := CASE
        WHEN rolled THEN 0
        -- a counter from before this version has no limit recorded yet: the one it counts against now
        WHEN OLD.alert_at = -1 THEN greatest(OLD.alerted_percent, usage_reached_percent(
            coalesce(OLD.alerted_limit, NEW.alerted_limit), OLD.usage_count, thresholds))
        ELSE OLD.alerted_percent END;
BEGIN
    IF rolled THEN
        INSERT INTO events (profile_id, type, time, data)
        VALUES (NEW.profile_id, 'usage.reset', NEW.updated,
                jsonb_build_object('featureId', NEW.feature_id, 'resetAt', api_instant(NEW.reset_at)));
    END IF;
    NEW.alerted_percent := greatest(announced, usage_reached_percent(NEW.alerted_limit, NEW.usage_count, thresholds));
    NEW.alert_at := (SELECT min(ceil(t::NUMERIC * NEW.alerted_limit / 100))::INTEGER FROM unnest(thresholds) t
                     WHERE NEW.alerted_limit > 0 AND t > NEW.alerted_percent);
    INSERT INTO events (profile_id, type, time, data)
    SELECT NEW.profile_id, e.type, NEW.updated, e.data
    FROM usage_threshold_events(NEW.feature_id, NEW.usage_count, NEW.alerted_limit, NEW.reset_at, announced,
                                NEW.alerted_percent, thresholds) e
    ORDER BY e.ord;
    RETURN NEW;
END
$$;
CREATE TRIGGER counter_alerts BEFORE UPDATE ON user_feature_usage
    FOR EACH ROW WHEN (NEW.usage_count >= OLD.alert_at OR NEW.alerted_limit IS DISTINCT FROM OLD.alerted_limit
                       OR (OLD.reset_at IS NOT NULL AND NEW.reset_at IS DISTINCT FROM OLD.reset_at))
    EXECUTE FUNCTION counter_alerts();
