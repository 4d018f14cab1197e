-- Events written by the thousand (expire-grants appends one per expired grant in one statement)
-- paid per row for what is per statement (bench/README.md, 2026-12-05).

-- The JSON helpers read the session's settings through to_char, so they are STABLE, not IMMUTABLE.
-- Declared IMMUTABLE, PostgreSQL would not inline them and planned grant_json and its five
-- api_instant calls again for every row: about 145 us per event.
ALTER FUNCTION api_instant(TIMESTAMPTZ) STABLE;
ALTER FUNCTION grant_json(access_grants) STABLE;
ALTER FUNCTION usage_threshold_events(TEXT, INTEGER, INTEGER, TIMESTAMPTZ, INTEGER, INTEGER, INTEGER[]) STABLE;

-- Numbering stays per row (a BEFORE trigger sets the sequence); the count by type moves to the
-- statement: one row of event_counts per type and statement, where the row trigger updated the
-- same row once per event (a thousand versions of one row in one batch, each found through the last).
CREATE OR REPLACE FUNCTION number_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_sequences AS s (profile_id, last) VALUES (NEW.profile_id, 1)
    ON CONFLICT (profile_id) DO UPDATE SET last = s.last + 1
    RETURNING last INTO NEW.sequence;
    RETURN NEW;
END
$$;

-- Fan-out, counting and wake-ups once per statement, from its inserted rows: one delivery per
-- (event, active endpoint that wants its type), NOTIFY deliveries_queued when one was queued and
-- NOTIFY events_written when an event was written (a statement that appended none wakes nobody).
CREATE OR REPLACE FUNCTION fan_out_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM inserted) THEN
        RETURN NULL;
    END IF;
    INSERT INTO event_counts AS c (type, shard, written)
    SELECT type, pg_backend_pid() % 8, count(*) FROM inserted GROUP BY type ORDER BY type
    ON CONFLICT (type, shard) DO UPDATE SET written = c.written + EXCLUDED.written;
    INSERT INTO webhook_deliveries (endpoint_id, event_seq, next_attempt_at, created)
    SELECT w.id, e.seq, e.time, e.time FROM inserted e
    JOIN webhook_endpoints w ON w.active AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types));
    IF FOUND THEN
        PERFORM pg_notify('deliveries_queued', '');
    END IF;
    PERFORM pg_notify('events_written', '');
    RETURN NULL;
END
$$;

DROP TRIGGER events_fanned_out ON events;
DROP FUNCTION fan_out_event();
CREATE TRIGGER events_fanned_out AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION fan_out_events();
