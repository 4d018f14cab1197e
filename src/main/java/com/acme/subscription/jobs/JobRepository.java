package com.acme.subscription.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.entitlement.EntitlementSql;
import com.acme.subscription.grant.GrantRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One batch of each job: one transaction, at most {@code batchSize} profiles or rows.
 * Batches are taken with SKIP LOCKED and every change is conditional, so replicas running
 * the same job at the same moment share the work and never do a change twice.
 */
@ApplicationScoped
public class JobRepository {

    /** What a batch did: how many units it took (0: nothing left) and how many rows it changed. */
    public record Batch(long taken, long rows) {
    }

    private final Pool pool;
    private final GrantRepository grants;

    public JobRepository(Pool pool, GrantRepository grants) {
        this.pool = pool;
        this.grants = grants;
    }

    /**
     * Expires up to batchSize due grants that are not Wellpass grants, in one statement. Their
     * end changes nothing else, so no profile lock is needed: SKIP LOCKED never waits on a grant
     * an API request holds, and the conditional update never expires a grant twice.
     */
    public Uni<Batch> expireGrants(Instant now, int batchSize, Origin origin) {
        return inBatch(tx -> tx.preparedQuery("""
                WITH due AS (
                    SELECT g.ctid FROM access_grants g
                    WHERE g.is_active AND g.valid_until <= $1 AND NOT g.wellpass
                    ORDER BY g.valid_until LIMIT $2
                    FOR UPDATE SKIP LOCKED
                ),
                expired AS (
                    -- the locked rows found again by their address (a locked row cannot move), not by key
                    UPDATE access_grants g SET is_active = false, updated = $1
                    WHERE g.ctid = ANY (ARRAY(SELECT ctid FROM due)) AND g.is_active AND g.valid_until <= $1
                    RETURNING g.id, g.profile_id, g.tier_id, g.granted_by, g.wellpass, g.valid_until
                ),
                log AS (
                    INSERT INTO user_activity_log (id, profile_id, action, details, ip_address, user_agent, created)
                    SELECT gen_random_uuid()::TEXT, profile_id, 'grant_expired',
                           jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by,
                                              'wellpass', wellpass, 'validUntil', valid_until),
                           $3::TEXT, $4::TEXT, $1
                    FROM expired
                )
                SELECT (SELECT count(*) FROM due) AS taken, (SELECT count(*) FROM expired) AS rows
                """)
                .execute(Tuple.of(Timestamps.utc(now), batchSize, origin.ipAddress(), origin.userAgent()))
                .map(rows -> batch(rows.iterator().next())));
    }

    /**
     * Settles up to batchSize profiles whose Wellpass grants are due (expire-grants) or whose
     * paused grants' pause has ended (resume-grants), under their row locks: an ending Wellpass
     * grant resumes (or re-points) the grants it paused.
     */
    public Uni<Batch> settleGrants(JobName job, Instant now, int batchSize) {
        // the first batchSize grants by index order; IN removes duplicate profiles (no DISTINCT, which
        // would read every due grant for every batch)
        String candidates = job == JobName.EXPIRE_GRANTS
                ? """
                  SELECT g.profile_id FROM access_grants g
                  WHERE g.is_active AND g.valid_until <= $1 AND g.wellpass ORDER BY g.valid_until LIMIT $2"""
                : """
                  SELECT g.profile_id FROM access_grants g JOIN access_grants w ON w.id = g.paused_by
                  WHERE g.paused_by IS NOT NULL AND w.valid_until <= $1 LIMIT $2""";
        return inBatch(tx -> tx.preparedQuery("""
                SELECT p.id FROM profiles p WHERE p.id IN (%s)
                FOR NO KEY UPDATE SKIP LOCKED
                """.formatted(candidates))
                .execute(Tuple.of(Timestamps.utc(now), batchSize))
                .flatMap(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("id")));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(new Batch(0, 0));
                    }
                    return grants.settle(tx, ids, now).map(settled -> new Batch(ids.size(), settled.total()));
                }));
    }

    /** Zeroes up to batchSize counters whose period ended and moves resetAt to the next boundary. */
    public Uni<Batch> resetUsage(Instant now, int batchSize, Origin origin) {
        return inBatch(tx -> tx.preparedQuery("""
                WITH s AS (
                    SELECT coalesce(max(value) FILTER (WHERE key = 'usage_reset_zone'), 'UTC') AS reset_zone
                    FROM app_settings WHERE key = 'usage_reset_zone'
                ),
                due AS (
                    SELECT u.id FROM user_feature_usage u
                    WHERE u.reset_at IS NOT NULL AND u.reset_at <= $1::TIMESTAMPTZ
                    ORDER BY u.reset_at LIMIT $2
                    FOR UPDATE SKIP LOCKED
                ),
                reset AS (
                    UPDATE user_feature_usage u SET usage_count = 0, reset_at = %s, updated = $1::TIMESTAMPTZ
                    FROM due, features f, s
                    WHERE u.id = due.id AND f.id = u.feature_id AND f.reset_period <> 'never'
                      AND u.reset_at <= $1::TIMESTAMPTZ
                    RETURNING u.profile_id, u.feature_id
                ),
                log AS (
                    INSERT INTO user_activity_log (id, profile_id, action, details, ip_address, user_agent, created)
                    SELECT gen_random_uuid()::TEXT, profile_id, 'usage_reset',
                           jsonb_build_object('features', jsonb_agg(feature_id ORDER BY feature_id)),
                           $3::TEXT, $4::TEXT, $1::TIMESTAMPTZ
                    FROM reset GROUP BY profile_id
                )
                SELECT (SELECT count(*) FROM due) AS taken, (SELECT count(*) FROM reset) AS rows
                """.formatted(EntitlementSql.nextReset("$1::TIMESTAMPTZ")))
                .execute(Tuple.of(Timestamps.utc(now), batchSize, origin.ipAddress(), origin.userAgent()))
                .map(rows -> batch(rows.iterator().next())));
    }

    /** What prune deletes: rows that have outlived their use ($1 now, $2 batch size). */
    enum Prunable {
        ACTIVITY("user_activity_log", """
                created < $1::TIMESTAMPTZ - make_interval(days => (SELECT coalesce(max(value), '365')::INTEGER
                    FROM app_settings WHERE key = 'activity_retention_days'))"""),
        IDEMPOTENCY_KEYS("idempotency_keys", "expires_at <= $1::TIMESTAMPTZ"),
        REDEMPTION_FAILURES("redemption_failures", "failed_at <= $1::TIMESTAMPTZ - INTERVAL '15 minutes'"),
        TOKENS("profile_tokens", "expires_at <= $1::TIMESTAMPTZ");

        final String table;
        final String condition;

        Prunable(String table, String condition) {
            this.table = table;
            this.condition = condition;
        }
    }

    /** Deletes up to batchSize rows of one kind that have outlived their use. */
    public Uni<Batch> prune(Prunable kind, Instant now, int batchSize) {
        return inBatch(tx -> tx.preparedQuery("""
                WITH gone AS (
                    DELETE FROM %1$s WHERE ctid IN (
                        SELECT ctid FROM %1$s WHERE %2$s LIMIT $2 FOR UPDATE SKIP LOCKED)
                    RETURNING 1
                )
                SELECT count(*) AS taken, count(*) AS rows FROM gone
                """.formatted(kind.table, kind.condition))
                .execute(Tuple.of(Timestamps.utc(now), batchSize))
                .map(rows -> batch(rows.iterator().next())));
    }

    /**
     * One batch's transaction. Its commit does not wait for the WAL to reach the disk: a crash can
     * only lose whole batches, and every batch is done again by the next run while its condition holds.
     */
    private <T> Uni<T> inBatch(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(tx -> tx.query("SET LOCAL synchronous_commit = off").execute()
                .flatMap(set -> work.apply(tx)));
    }

    private static Batch batch(io.vertx.mutiny.sqlclient.Row row) {
        return new Batch(row.getLong("taken"), row.getLong("rows"));
    }
}
