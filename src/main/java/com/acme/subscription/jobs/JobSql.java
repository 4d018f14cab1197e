package com.acme.subscription.jobs;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.entitlement.EntitlementSql;
import com.acme.subscription.event.EventSql;
import com.acme.subscription.grant.GrantSql;
import com.acme.subscription.settings.SettingKey;

/**
 * The jobs' statements, one batch each. {@code $1} is the run's now and {@code $2} the batch
 * size; statements that write activity entries take the origin as {@code $3}, {@code $4}.
 * Batches take their rows with SKIP LOCKED and every change is conditional.
 */
final class JobSql {

    /**
     * Expires up to $2 due grants that are not Wellpass grants (their end changes nothing else), of
     * profiles nobody else holds: a change in progress holds its profile's lock and then settles the
     * profile's grants, while this statement goes on to write the profile's stored state, so taking the
     * grant of a held profile would deadlock with it. That change expires the grant itself, or the
     * next batch does.
     */
    static final String EXPIRE_GRANTS = """
            WITH due AS (
                SELECT g.ctid FROM access_grants g
                WHERE g.is_active AND g.valid_until <= $1 AND NOT g.wellpass
                  -- the profile first (a grant taken before its profile was skipped would stay locked by this
                  -- batch), per grant in the index's order: a join could be planned as a sort of every due grant
                  AND EXISTS (SELECT 1 FROM profiles p WHERE p.id = g.profile_id FOR NO KEY UPDATE SKIP LOCKED)
                ORDER BY g.valid_until LIMIT $2
                FOR UPDATE SKIP LOCKED
            ),
            -- the locked rows found again by their address (a locked row cannot move), not by key
            %s,
            %s
            SELECT (SELECT count(*) FROM due) AS taken, (SELECT count(*) FROM expired) AS rows,
                   ARRAY(SELECT DISTINCT profile_id FROM expired) AS profiles
            """.formatted(GrantSql.expiry("g.ctid = ANY (ARRAY(SELECT ctid FROM due))", "$1::TIMESTAMPTZ", "$3::TEXT",
            "$4::TEXT"), EventSql.append("expired_events", "$1::TIMESTAMPTZ"));

    /**
     * Locks up to $2 of the profiles that {@code %s} names and nobody else holds. The candidates are
     * the first $2 grants by index order; IN removes duplicate profiles (no DISTINCT, which would
     * read every candidate for every batch).
     */
    private static final String LOCK_PROFILES = """
            SELECT p.id FROM profiles p WHERE p.id IN (%s)
            FOR NO KEY UPDATE SKIP LOCKED
            """;

    /** Locks up to $2 profiles with a Wellpass grant due at $1 (expire-grants settles them). */
    static final String LOCK_PROFILES_WITH_DUE_WELLPASS = LOCK_PROFILES.formatted("""
            SELECT g.profile_id FROM access_grants g
            WHERE g.is_active AND g.valid_until <= $1 AND g.wellpass ORDER BY g.valid_until LIMIT $2""");

    /**
     * Locks up to $2 profiles with a paused grant whose pausing grant has ended by $1, however it
     * ended (resume-grants settles them).
     */
    static final String LOCK_PROFILES_WITH_ENDED_PAUSE = LOCK_PROFILES.formatted("""
            SELECT g.profile_id FROM access_grants g JOIN access_grants w ON w.id = g.paused_by
            WHERE g.paused_by IS NOT NULL AND %s <= $1::TIMESTAMPTZ LIMIT $2""".formatted(GrantSql.wellpassEnd("w")));

    /**
     * Locks up to $1 profiles whose stored state is stale (V13__profile_state.sql) and nobody else
     * holds; their state is then computed with a snapshot taken after the lock.
     */
    static final String LOCK_STALE_PROFILES = """
            SELECT p.id FROM profiles p WHERE p.state_stale LIMIT $1
            FOR NO KEY UPDATE SKIP LOCKED
            """;

    /** Zeroes up to $2 counters whose period ended by $1 and moves resetAt to the next boundary. */
    static final String RESET_USAGE = """
            WITH s AS (
                SELECT %1$s AS reset_zone FROM %2$s
            ),
            due AS (
                SELECT u.id FROM user_feature_usage u
                WHERE u.reset_at IS NOT NULL AND u.reset_at <= $1::TIMESTAMPTZ
                  -- the profile first, as the rows written below refer to it (KEY SHARE): an erasure holds its
                  -- profile and then deletes its counters, so a counter taken first would deadlock with it
                  AND EXISTS (SELECT 1 FROM profiles p WHERE p.id = u.profile_id FOR KEY SHARE SKIP LOCKED)
                ORDER BY u.reset_at LIMIT $2
                FOR UPDATE SKIP LOCKED
            ),
            reset AS (
                -- usage.reset comes from the counter's trigger (counter_alerts)
                UPDATE user_feature_usage u SET usage_count = 0, reset_at = %3$s, updated = $1::TIMESTAMPTZ
                FROM due, features f, s
                WHERE u.id = due.id AND f.id = u.feature_id AND f.reset_period <> 'never'
                  AND u.reset_at <= $1::TIMESTAMPTZ
                RETURNING u.profile_id, u.feature_id
            ),
            log AS (
                INSERT INTO user_activity_log (profile_id, action, details, ip_address, user_agent, created)
                SELECT profile_id, '%4$s',
                       jsonb_build_object('features', jsonb_agg(feature_id ORDER BY feature_id)),
                       $3::TEXT, $4::TEXT, $1::TIMESTAMPTZ
                FROM reset GROUP BY profile_id
            )
            SELECT (SELECT count(*) FROM due) AS taken, (SELECT count(*) FROM reset) AS rows
            """.formatted(SettingKey.USAGE_RESET_ZONE.sql(), SettingKey.rows(SettingKey.USAGE_RESET_ZONE),
            EntitlementSql.nextReset("$1::TIMESTAMPTZ"), ActivityLog.USAGE_RESET);

    /** Deletes up to $2 rows of table {@code %1$s} that match {@code %2$s} (at $1) and nobody else holds. */
    private static final String PRUNE = """
            WITH gone AS (
                DELETE FROM %1$s WHERE ctid IN (
                    SELECT ctid FROM %1$s WHERE %2$s LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING 1
            )
            SELECT count(*) AS taken, count(*) AS rows FROM gone
            """;

    /** Activity older than activity_retention_days. */
    static final String PRUNE_ACTIVITY = PRUNE.formatted("user_activity_log", """
            created < $1::TIMESTAMPTZ - make_interval(days => (SELECT %s::INTEGER
                FROM %s))""".formatted(SettingKey.ACTIVITY_RETENTION_DAYS.sql(),
            SettingKey.rows(SettingKey.ACTIVITY_RETENTION_DAYS)));

    /**
     * Events older than event_retention_days (their deliveries and attempts go with them), except,
     * while the service publishes to Kafka ($3), the ones Kafka has not acknowledged yet, and the ones
     * still being delivered to an active endpoint: a broker away for longer than the retention, or a
     * retention shorter than the webhooks' retries, loses nothing. (An endpoint switched off is sent
     * nothing, so its pending deliveries do not hold the retention up.)
     */
    static final String PRUNE_EVENTS = PRUNE.formatted("events", """
            (published_at IS NOT NULL OR NOT $3::BOOLEAN)
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
                            WHERE d.event_seq = events.seq AND d.status = 'pending' AND w.active)
            AND time < $1::TIMESTAMPTZ - make_interval(days => (SELECT %s::INTEGER
                FROM %s))""".formatted(SettingKey.EVENT_RETENTION_DAYS.sql(),
            SettingKey.rows(SettingKey.EVENT_RETENTION_DAYS)));

    /**
     * Stripe event ids applied more than 30 days ago: Stripe resends an event for up to 3 days, so
     * a redelivery still meets its id long after (docs/billing.md).
     */
    static final String PRUNE_BILLING_EVENTS = PRUNE.formatted("billing_events",
            "received_at <= $1::TIMESTAMPTZ - INTERVAL '30 days'");

    /** Stored idempotent answers past their expiry. */
    static final String PRUNE_IDEMPOTENCY_KEYS = PRUNE.formatted("idempotency_keys", "expires_at <= $1::TIMESTAMPTZ");

    /** Failed redemption attempts older than the 15 minutes their limit looks back. */
    static final String PRUNE_REDEMPTION_FAILURES = PRUNE.formatted("redemption_failures",
            "failed_at <= $1::TIMESTAMPTZ - INTERVAL '15 minutes'");

    /** Verification and invitation tokens past their expiry. */
    static final String PRUNE_TOKENS = PRUNE.formatted("profile_tokens", "expires_at <= $1::TIMESTAMPTZ");

    /**
     * First statement of a batch's transaction: its commit does not wait for the WAL to reach
     * the disk (a crash can only lose whole batches, which the next run does again).
     */
    static final String ASYNC_COMMIT = "SET LOCAL synchronous_commit = off";

    private JobSql() {
    }
}
