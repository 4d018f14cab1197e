package com.acme.subscription.grant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Access grants and the Wellpass rule. Every method runs inside the caller's transaction,
 * which holds the profile's row lock: changes to one profile's grants are serialised.
 */
@ApplicationScoped
public class GrantRepository {

    private final ActivityLog activity;

    public GrantRepository(ActivityLog activity) {
        this.activity = activity;
    }

    /** Expires due grants of the profiles matching {@code %1$s} (on g); $2 is now, $3/$4 the request origin. */
    static final String EXPIRE = """
            WITH expired AS (
                UPDATE access_grants g SET is_active = false, updated = $2::TIMESTAMPTZ
                WHERE %1$s AND g.is_active AND g.valid_until <= $2::TIMESTAMPTZ
                RETURNING g.id, g.profile_id, g.tier_id, g.granted_by, g.wellpass, g.valid_until
            ),
            log AS (
                INSERT INTO user_activity_log (id, profile_id, action, details, ip_address, user_agent, created)
                SELECT gen_random_uuid()::TEXT, profile_id, 'grant_expired',
                       jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by,
                                          'wellpass', wellpass, 'validUntil', valid_until),
                       $3::TEXT, $4::TEXT, $2::TIMESTAMPTZ
                FROM expired
            )
            SELECT count(*) AS rows FROM expired
            """;

    /**
     * Resumes (per {@link GrantSql}) the paused grants of {@code %1$s} whose Wellpass pause has
     * ended, or points them at the Wellpass grant that holds them now. A trial keeps
     * trialEndsAt in step.
     */
    static final String RESUME = """
            WITH RECURSIVE %2$s,
            holder AS (
                SELECT DISTINCT ON (w.profile_id) w.profile_id, w.id FROM access_grants w
                WHERE w.wellpass AND w.is_active AND w.valid_from <= $2::TIMESTAMPTZ AND $2::TIMESTAMPTZ < w.valid_until
                  AND w.profile_id IN (SELECT g.profile_id FROM access_grants g JOIN resumption r ON r.id = g.id)
                ORDER BY w.profile_id, w.valid_until DESC
            ),
            resumed AS (
                UPDATE access_grants g SET is_active = true, valid_from = r.resume_at,
                    valid_until = r.resume_at + make_interval(secs => %3$s), paused_by = NULL, paused_at = NULL,
                    remaining_days = NULL, remaining_seconds = NULL, updated = $2::TIMESTAMPTZ
                FROM resumption r
                WHERE g.id = r.id AND r.resume_at <= $2::TIMESTAMPTZ AND g.paused_by IS NOT NULL
                RETURNING g.id, g.profile_id, g.tier_id, g.granted_by, g.valid_from, g.valid_until
            ),
            moved AS (
                UPDATE access_grants g SET paused_by = h.id, updated = $2::TIMESTAMPTZ
                FROM resumption r, holder h
                WHERE g.id = r.id AND r.resume_at > $2::TIMESTAMPTZ AND h.profile_id = g.profile_id
                  AND g.paused_by IS NOT NULL AND g.paused_by <> h.id
                RETURNING g.id
            ),
            trial AS (
                UPDATE profiles p SET trial_ends_at = r.valid_until, updated = $2::TIMESTAMPTZ
                FROM resumed r WHERE p.id = r.profile_id AND r.granted_by = 'trial'
            ),
            log AS (
                INSERT INTO user_activity_log (id, profile_id, action, details, ip_address, user_agent, created)
                SELECT gen_random_uuid()::TEXT, profile_id, 'grant_resumed',
                       jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by,
                                          'validFrom', valid_from, 'validUntil', valid_until),
                       $3::TEXT, $4::TEXT, $2::TIMESTAMPTZ
                FROM resumed
            )
            SELECT (SELECT count(*) FROM resumed) AS rows, (SELECT count(*) FROM moved) AS moved
            """;

    /** TEMPORARY (replaced by the grant package's own lock statement). */
    public Uni<Boolean> lockProfile(SqlClient tx, String profileId) {
        return tx.preparedQuery("SELECT 1 FROM profiles WHERE id = $1 FOR NO KEY UPDATE").execute(Tuple.of(profileId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The profiles a settle works on: $1, an array of ids. */
    private static final String PROFILES = "g.profile_id = ANY($1::TEXT[])";

    /** Rows a settle changed: grants expired and grants resumed. */
    public record Settled(long expired, long resumed) {

        public long total() {
            return expired + resumed;
        }
    }

    /**
     * Makes the table true for one profile at {@code now}: due grants expire, grants whose
     * Wellpass pause ended resume (and expire too if their remaining time is also over).
     */
    public Uni<Settled> settle(SqlClient tx, String profileId, Instant now) {
        return settle(tx, List.of(profileId), now);
    }

    /** {@link #settle(SqlClient, String, Instant)} for several profiles, whose rows the caller has locked. */
    public Uni<Settled> settle(SqlClient tx, List<String> profileIds, Instant now) {
        Origin origin = activity.origin();
        Tuple args = Tuple.of(profileIds.toArray(new String[0]), Timestamps.utc(now), origin.ipAddress(),
                origin.userAgent());
        return tx.preparedQuery(EXPIRE.formatted(PROFILES)).execute(args)
                .flatMap(expired -> tx.preparedQuery(RESUME.formatted(PROFILES, GrantSql.resumption(PROFILES),
                        GrantSql.REMAINING)).execute(args)
                        .flatMap(resumed -> tx.preparedQuery(EXPIRE.formatted(PROFILES)).execute(args)
                                .map(expiredAfter -> new Settled(
                                        count(expired) + count(expiredAfter), count(resumed)))));
    }

    private static long count(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        return rows.iterator().next().getLong("rows");
    }

    /**
     * Creates a grant under the Wellpass rule: a Wellpass grant pauses the profile's other
     * active grants; any other grant is created paused while a Wellpass grant is active.
     */
    public Uni<GrantView> create(SqlClient tx, NewGrant grant, Instant now) {
        String id = UUID.randomUUID().toString();
        return tx.preparedQuery("""
                WITH holder AS (
                    SELECT w.id FROM access_grants w
                    WHERE w.profile_id = $2 AND w.wellpass AND w.is_active
                      AND w.valid_from <= $8::TIMESTAMPTZ AND $8::TIMESTAMPTZ < w.valid_until
                      AND NOT $6::BOOLEAN
                    ORDER BY w.valid_until DESC LIMIT 1
                )
                INSERT INTO access_grants AS g (id, profile_id, tier_id, granted_by, coupon_id, wellpass, valid_from,
                    valid_until, is_active, paused_by, paused_at, remaining_seconds, remaining_days, created, updated)
                SELECT $1, $2, $3, $4, $5, $6, $7, $9, h.id IS NULL, h.id,
                       CASE WHEN h.id IS NOT NULL THEN $8::TIMESTAMPTZ END,
                       CASE WHEN h.id IS NOT NULL THEN floor(extract(EPOCH FROM $9::TIMESTAMPTZ - $7::TIMESTAMPTZ))::BIGINT END,
                       CASE WHEN h.id IS NOT NULL THEN ceil(floor(extract(EPOCH FROM $9::TIMESTAMPTZ - $7::TIMESTAMPTZ)) / 86400)::INTEGER END,
                       $8, $8
                FROM (SELECT 1) one LEFT JOIN holder h ON true
                RETURNING %s
                """.formatted(GrantView.COLUMNS))
                .execute(Tuple.from(Arrays.asList(id, grant.profileId(), grant.tierId(), grant.grantedBy(),
                        grant.couponId(), grant.wellpass(), Timestamps.utc(grant.validFrom()), Timestamps.utc(now),
                        Timestamps.utc(grant.validUntil()))))
                .map(rows -> GrantView.from(rows.iterator().next()))
                .call(created -> created.wellpass() ? pauseOthers(tx, created, now) : Uni.createFrom().voidItem());
    }

    /** A new Wellpass grant pauses every other active grant of the profile that is not itself a Wellpass grant. */
    private Uni<Void> pauseOthers(SqlClient tx, GrantView wellpass, Instant now) {
        return tx.preparedQuery("""
                WITH paused AS (
                    UPDATE access_grants g SET is_active = false, paused_by = $2, paused_at = $3::TIMESTAMPTZ,
                        remaining_seconds = floor(extract(EPOCH FROM g.valid_until - greatest($3::TIMESTAMPTZ, g.valid_from)))::BIGINT,
                        remaining_days = ceil(floor(extract(EPOCH FROM g.valid_until - greatest($3::TIMESTAMPTZ, g.valid_from))) / 86400)::INTEGER,
                        updated = $3::TIMESTAMPTZ
                    WHERE g.profile_id = $1 AND g.id <> $2 AND NOT g.wellpass AND g.is_active
                      AND g.valid_until > $3::TIMESTAMPTZ
                    RETURNING g.id, g.tier_id, g.granted_by, g.remaining_seconds, g.remaining_days
                )
                INSERT INTO user_activity_log (id, profile_id, action, details, ip_address, user_agent, created)
                SELECT gen_random_uuid()::TEXT, $1, 'grant_paused',
                       jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by, 'pausedBy', $2,
                                          'remainingSeconds', remaining_seconds, 'remainingDays', remaining_days),
                       $4::TEXT, $5::TEXT, $3::TIMESTAMPTZ
                FROM paused
                """)
                .execute(Tuple.of(wellpass.profileId(), wellpass.id(), Timestamps.utc(now), activity.origin().ipAddress(),
                        activity.origin().userAgent()))
                .replaceWithVoid();
    }

    public Uni<Optional<GrantView>> find(SqlClient tx, String profileId, String grantId) {
        return tx.preparedQuery("SELECT %s FROM access_grants WHERE id = $1 AND profile_id = $2"
                .formatted(GrantView.COLUMNS))
                .execute(Tuple.of(grantId, profileId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(GrantView.from(rows.iterator().next())));
    }

    /**
     * Revokes now: inactive, validUntil now, pause fields cleared, revokedAt set; it never
     * resumes. A revoked Wellpass grant ends now, so its paused grants resume at once (or
     * move to another active Wellpass grant).
     */
    public Uni<GrantView> revoke(SqlClient tx, String grantId, Instant now) {
        return tx.preparedQuery("""
                UPDATE access_grants SET is_active = false, valid_until = least(valid_until, $2::TIMESTAMPTZ),
                    paused_by = NULL, paused_at = NULL, remaining_days = NULL, remaining_seconds = NULL,
                    revoked_at = $2::TIMESTAMPTZ, updated = $2::TIMESTAMPTZ
                WHERE id = $1
                RETURNING %s
                """.formatted(GrantView.COLUMNS))
                .execute(Tuple.of(grantId, Timestamps.utc(now)))
                .map(rows -> GrantView.from(rows.iterator().next()))
                .call(revoked -> settle(tx, revoked.profileId(), now));
    }

    /** Current grants (active and paused), or all of them; newest first. */
    public Uni<List<GrantView>> list(SqlClient tx, String profileId, boolean includeInactive, Instant now) {
        return tx.preparedQuery("""
                SELECT %s FROM access_grants
                WHERE profile_id = $1
                  AND ($3 OR (is_active AND valid_until > $2::TIMESTAMPTZ) OR paused_by IS NOT NULL)
                ORDER BY created DESC, id
                """.formatted(GrantView.COLUMNS))
                .execute(Tuple.of(profileId, Timestamps.utc(now), includeInactive))
                .map(rows -> {
                    List<GrantView> list = new ArrayList<>();
                    rows.forEach(row -> list.add(GrantView.from(row)));
                    return list;
                });
    }
}
