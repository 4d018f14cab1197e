package com.acme.subscription.stats;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Statistics: one profile's user_stats, and the service-wide aggregates, each one statement. */
@ApplicationScoped
public class StatsRepository {

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    /** The profile's statistics, or empty when there is no such profile. */
    public Uni<Optional<ProfileStats>> ofProfile(String profileId) {
        return pool.preparedQuery("""
                SELECT p.id, s.last_login, coalesce(s.login_count, 0) AS login_count,
                       coalesce(s.weight_entries_count, 0) AS weight_entries_count,
                       coalesce(s.ai_calls_count, 0) AS ai_calls_count, coalesce(s.photos_count, 0) AS photos_count,
                       coalesce(s.total_data_points, 0) AS total_data_points, s.created, s.updated
                FROM profiles p LEFT JOIN user_stats s ON s.profile_id = p.id WHERE p.id = $1
                """)
                .execute(Tuple.of(profileId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next())
                        .map(row -> new ProfileStats(row.getString("id"), instant(row, "last_login"),
                                row.getInteger("login_count"), row.getInteger("weight_entries_count"),
                                row.getInteger("ai_calls_count"), row.getInteger("photos_count"),
                                row.getInteger("total_data_points"), instant(row, "created"), instant(row, "updated"))));
    }

    /**
     * byTier counts base tiers ("disabled" for none); active grants are those in force now,
     * by grantedBy; usage sums the counters of the current period (an ended period counts 0).
     */
    public Uni<ServiceStats> all(Instant now) {
        return pool.preparedQuery("""
                SELECT
                  (SELECT count(*) FROM profiles) AS total,
                  (SELECT count(*) FROM profiles WHERE email_verified) AS verified,
                  (SELECT coalesce(jsonb_object_agg(tier, n), '{}') FROM
                      (SELECT coalesce(tier, 'disabled') AS tier, count(*) AS n FROM profiles GROUP BY 1) t) AS by_tier,
                  (SELECT coalesce(jsonb_object_agg(granted_by, n), '{}') FROM
                      (SELECT granted_by, count(*) AS n FROM access_grants
                       WHERE is_active AND valid_from <= $1 AND $1 < valid_until GROUP BY 1) g) AS active_grants,
                  (SELECT count(*) FROM access_grants WHERE paused_by IS NOT NULL) AS paused,
                  (SELECT coalesce(jsonb_object_agg(type, n), '{}') FROM
                      (SELECT c.type, count(*) AS n FROM coupon_redemptions r JOIN coupons c ON c.id = r.coupon_id
                       WHERE r.redeemed_at > $1 - INTERVAL '30 days' AND r.redeemed_at <= $1 GROUP BY 1) r) AS redemptions,
                  (SELECT coalesce(jsonb_object_agg(feature_id, n), '{}') FROM
                      (SELECT u.feature_id, sum(u.usage_count) AS n FROM user_feature_usage u
                       JOIN features f ON f.id = u.feature_id
                       WHERE f.reset_period = 'never' OR u.reset_at > $1 GROUP BY 1) u) AS usage
                """)
                .execute(Tuple.of(Timestamps.utc(now)))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new ServiceStats(
                            new ServiceStats.Profiles(row.getLong("total"), row.getLong("verified"),
                                    counts(row.getJsonObject("by_tier"))),
                            new ServiceStats.Grants(counts(row.getJsonObject("active_grants")), row.getLong("paused")),
                            counts(row.getJsonObject("redemptions")), counts(row.getJsonObject("usage")));
                });
    }

    private static Map<String, Long> counts(JsonObject object) {
        Map<String, Long> counts = new LinkedHashMap<>();
        object.fieldNames().stream().sorted().forEach(key -> counts.put(key, ((Number) object.getValue(key)).longValue()));
        return counts;
    }

    private static Instant instant(io.vertx.mutiny.sqlclient.Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
