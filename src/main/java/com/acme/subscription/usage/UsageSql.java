package com.acme.subscription.usage;

import com.acme.subscription.entitlement.EntitlementSql;

/**
 * Usage changes as single statements: the entitlement state ({@link EntitlementSql}), the
 * counter change and the user_stats change run in one statement, one round trip, one
 * transaction. Parameters: $1 profile, $2 now, $3 feature, $4 amount (or the new count).
 * <p>
 * Atomicity comes from PostgreSQL: the counter row is locked by the upsert and the limit is
 * re-checked against its latest version, so concurrent consumes never pass the limit and
 * none is lost. A counter of an ended period is rolled into the current one in the same
 * statement, so a consume racing the reset job is never lost either.
 */
final class UsageSql {

    /** The state row (st) names an existing profile and a feature with a counter. */
    private static final String METERED = "st.profile_exists AND st.feature_id IS NOT NULL AND st.limit_type <> 'boolean'";

    /** The existing row (u) of a periodic counter belongs to an ended period; st is the entitlement state. */
    private static final String LOCKED_ROW_ROLLED = "(st.reset_period <> 'never' AND (u.reset_at IS NULL OR u.reset_at <= $2))";

    /** The same, in an upsert's conflict branch: EXCLUDED.reset_at is set only for periodic features. */
    private static final String ROW_ROLLED = "(EXCLUDED.reset_at IS NOT NULL AND (u.reset_at IS NULL OR u.reset_at <= $2))";

    /**
     * Keeps user_stats in step with the signed changes of {@code changes}, a subquery with a row
     * (profile_id, feature_id, delta, category) per changed counter, one per profile; never below 0
     * and never past INTEGER's maximum (added up in BIGINT, so that a sum past it is clamped, not an
     * error). Features of category data count into total_data_points.
     */
    private static String stats(String changes) {
        return """
                stats AS (
                    UPDATE user_stats us SET
                        weight_entries_count = LEAST(GREATEST(us.weight_entries_count + k.weight, 0), 2147483647),
                        ai_calls_count = LEAST(GREATEST(us.ai_calls_count + k.ai, 0), 2147483647),
                        photos_count = LEAST(GREATEST(us.photos_count + k.photos, 0), 2147483647),
                        total_data_points = LEAST(GREATEST(us.total_data_points + k.data, 0), 2147483647),
                        updated = $2
                    FROM (SELECT ch.profile_id,
                                 CASE WHEN ch.feature_id = 'weight_entries' THEN ch.delta::BIGINT ELSE 0 END AS weight,
                                 CASE WHEN ch.feature_id = 'ai_calls' THEN ch.delta::BIGINT ELSE 0 END AS ai,
                                 CASE WHEN ch.feature_id = 'photos' THEN ch.delta::BIGINT ELSE 0 END AS photos,
                                 CASE WHEN ch.category = 'data' THEN ch.delta::BIGINT ELSE 0 END AS data
                          FROM %s ch WHERE ch.delta <> 0) k
                    WHERE us.profile_id = k.profile_id
                    RETURNING 1
                )""".formatted(changes);
    }

    /** {@link #stats} of one statement's change: the CTE {@code change(delta)} to counter $3 of profile $1, state st. */
    private static final String STATS = stats(
            "(SELECT $1::TEXT AS profile_id, $3::TEXT AS feature_id, c.delta, st.category FROM change c, state st)");

    /**
     * Adds {@code amount} to the counter of {@code profile} and {@code feature} for each row of
     * the CTE state (st) that may try it: metered, in force, and the amount fits the limit at all.
     * The limit is checked against the locked, latest version of the counter row, so a consume that
     * waited for another one can be refused although its snapshot (the rest of the row) had room:
     * see {@link #COUNTER}. It keeps the counter's limit (alerted_limit) current for the trigger
     * counter_alerts, which announces the thresholds a changed count reaches (V10__events.sql); a
     * counter it creates (alert_at still -1) announces the thresholds of its first count in the
     * statement's result.
     */
    private static String counter(String profile, String feature, String amount) {
        return """
                counter AS (
                    INSERT INTO user_feature_usage AS u (profile_id, feature_id, usage_count, reset_at, created, updated,
                                                        alerted_limit)
                    SELECT %2$s, %3$s, %4$s, st.next_reset, $2, $2, st.effective_limit FROM state st
                    WHERE %5$s
                      AND st.activated AND st.tier_id IS NOT NULL AND st.fresh
                      AND (st.effective_limit IS NULL OR %4$s <= st.effective_limit)
                    ON CONFLICT (profile_id, feature_id) DO UPDATE SET
                        usage_count = CASE WHEN %1$s THEN EXCLUDED.usage_count ELSE u.usage_count + EXCLUDED.usage_count END,
                        reset_at = CASE WHEN %1$s THEN EXCLUDED.reset_at ELSE u.reset_at END,
                        alerted_limit = EXCLUDED.alerted_limit,
                        updated = EXCLUDED.updated
                    -- checked against the locked, latest version of the row (alerted_limit: the state's limit)
                    WHERE (CASE WHEN %1$s THEN 0 ELSE u.usage_count END)::BIGINT + EXCLUDED.usage_count
                          <= coalesce(EXCLUDED.alerted_limit, 2147483647)
                    RETURNING u.profile_id, u.usage_count, u.reset_at, u.alert_at, u.alerted_limit
                )""".formatted(ROW_ROLLED, profile, feature, amount, METERED);
    }

    /** The result's columns after the state's: the counter as written, if it was, and the first count's events. */
    private static final String RESULT = """
            c.usage_count AS new_used, c.reset_at AS new_reset_at, c.usage_count IS NOT NULL AS changed,
                   -- only a counter this statement created (an update computes alert_at) announces here
                   CASE WHEN c.alert_at = -1
                        THEN usage_announce_first_count(c.profile_id, %s, c.usage_count, c.alerted_limit, c.reset_at, $2) END
                       AS first_count_events""";

    /** Adds $4 to counter $3 of profile $1 if the profile may use that much more; the result row says whether it did. */
    private static final String CONSUME_AFTER_STATE = """
            ,
            %1$s,
            change AS (SELECT $4::BIGINT AS delta FROM counter),
            %2$s
            SELECT st.*, %3$s
            FROM state st LEFT JOIN counter c ON true
            """.formatted(counter("$1", "$3", "$4"), STATS, RESULT.formatted("$3"));

    /** Consume on the effective tier computed from the grants. */
    static final String CONSUME = EntitlementSql.ONE_FEATURE + CONSUME_AFTER_STATE;

    /**
     * Consume on the profile's stored state: changes nothing unless the state holds now
     * ({@code fresh}); then the caller runs {@link #CONSUME}.
     */
    static final String CONSUME_STORED = EntitlementSql.ONE_FEATURE_STORED + CONSUME_AFTER_STATE;

    /**
     * Consume on the profile's stored state and the tier's limit resolved in catalog_limits, as the
     * check reads them ({@link EntitlementSql#CHECK_ONE_RESOLVED}): changes nothing unless that
     * answers ({@code fresh}); then the caller runs {@link #CONSUME_STORED}.
     */
    static final String CONSUME_RESOLVED = "WITH state AS (" + EntitlementSql.CHECK_ONE_RESOLVED + ")" + CONSUME_AFTER_STATE;

    /**
     * {@link #CONSUME_RESOLVED} for several consumes, each of another profile, in one statement:
     * what a group of consumes committing together ({@code GroupCommit}) runs instead of one
     * statement each, since starting a statement costs PostgreSQL more than the consume's own rows
     * (bench/README.md, "One statement for a group's consumes"). Parameters: $1 the profiles,
     * $3 the features, $4 the amounts (arrays, element i of each being consume i), $2 now. One row
     * per consume, as {@link #CONSUME_RESOLVED} answers it, with its position ({@code consume}, from 1).
     * The counters are written in the order of the consumes, which the caller sorts by profile, as
     * its group does.
     */
    static final String CONSUME_ALL_RESOLVED = """
            WITH consumes AS (
                SELECT * FROM unnest($1::TEXT[], $3::TEXT[], $4::INT[]) WITH ORDINALITY AS q(profile_id, feature_id, amount, consume)
            ),
            state AS (
                SELECT q.consume, q.profile_id AS consumer, q.feature_id AS wanted, q.amount, checked.*
                FROM consumes q CROSS JOIN LATERAL (%1$s) checked
                ORDER BY q.consume
            ),
            %2$s,
            %3$s
            SELECT st.*, %4$s
            FROM state st LEFT JOIN counter c ON c.profile_id = st.consumer
            """.formatted(
            EntitlementSql.CHECK_ONE_RESOLVED.replace("$1", "q.profile_id").replace("$3", "q.feature_id"),
            counter("st.consumer", "st.wanted", "st.amount"),
            stats("(SELECT c.profile_id, st.wanted AS feature_id, st.amount::BIGINT AS delta, st.category "
                    + "FROM counter c JOIN state st ON st.consumer = c.profile_id)"),
            RESULT.formatted("st.wanted"));

    /**
     * The counter as committed now ($1 profile, $2 feature). Read after a consume whose snapshot had
     * room was refused (it lost a race): the version that refused it was committed before the refusal,
     * so this statement, with a snapshot of its own, sees it (or a newer one). Only that rare case pays
     * for a second round trip; the consume statement itself stays as cheap as it was.
     */
    static final String COUNTER = "SELECT usage_count, reset_at FROM user_feature_usage WHERE profile_id = $1 AND feature_id = $2";

    /** Takes $4 back, never below 0. */
    static final String RELEASE = EntitlementSql.ONE_FEATURE + """
            ,
            locked AS (
                SELECT CASE WHEN %1$s THEN 0 ELSE u.usage_count END AS current,
                       CASE WHEN %1$s THEN st.next_reset ELSE u.reset_at END AS reset_at
                FROM user_feature_usage u, state st
                WHERE u.profile_id = $1 AND u.feature_id = $3 AND st.limit_type <> 'boolean'
                FOR UPDATE OF u
            ),
            counter AS (
                UPDATE user_feature_usage u SET usage_count = GREATEST(l.current - $4, 0), reset_at = l.reset_at, updated = $2
                FROM locked l
                WHERE u.profile_id = $1 AND u.feature_id = $3
                RETURNING u.usage_count, u.reset_at, u.usage_count - l.current AS delta
            ),
            change AS (SELECT delta FROM counter),
            %2$s
            SELECT st.*, c.usage_count AS new_used, c.reset_at AS new_reset_at, c.usage_count IS NOT NULL AS changed
            FROM state st LEFT JOIN counter c ON true
            """.formatted(LOCKED_ROW_ROLLED, STATS);

    /**
     * Sets the counter of the current period to $4 (reconciliation with what the caller holds), and
     * user_stats by the difference. The difference is taken from the row as locked: a counter that
     * another transaction created after this statement's snapshot (a first consume, or another
     * reconcile, in flight) is left alone, since its count is not known here; the result's
     * {@code raced} then says to run the statement again, which sees it.
     */
    static final String RECONCILE = EntitlementSql.ONE_FEATURE + """
            ,
            locked AS (
                SELECT CASE WHEN %3$s THEN 0 ELSE u.usage_count END AS current
                FROM user_feature_usage u, state st
                WHERE u.profile_id = $1 AND u.feature_id = $3
                FOR UPDATE OF u
            ),
            -- reads locked before it writes the row: a CTE nobody reads first would scan the row only
            -- after this statement updated it, lock nothing and count the whole new value as the change
            counter AS (
                INSERT INTO user_feature_usage AS u (profile_id, feature_id, usage_count, reset_at, created, updated)
                SELECT $1, $3, $4, st.next_reset, $2, $2 FROM state st LEFT JOIN locked l ON true
                WHERE %4$s
                ON CONFLICT (profile_id, feature_id) DO UPDATE SET
                    usage_count = EXCLUDED.usage_count,
                    reset_at = CASE WHEN %1$s THEN EXCLUDED.reset_at ELSE u.reset_at END,
                    updated = EXCLUDED.updated
                WHERE EXISTS (SELECT 1 FROM locked)
                RETURNING u.usage_count, u.reset_at
            ),
            change AS (
                SELECT c.usage_count - coalesce((SELECT current FROM locked), 0) AS delta FROM counter c
            ),
            %2$s
            SELECT st.*, c.usage_count AS new_used, c.reset_at AS new_reset_at, c.usage_count IS NOT NULL AS changed,
                   c.usage_count IS NULL AND %4$s AS raced
            FROM state st LEFT JOIN counter c ON true
            """.formatted(ROW_ROLLED, STATS, LOCKED_ROW_ROLLED, METERED);

    private UsageSql() {
    }
}
