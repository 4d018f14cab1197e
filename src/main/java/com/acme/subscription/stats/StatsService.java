package com.acme.subscription.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.catalog.ResetPeriod;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.coupon.CouponType;
import com.acme.subscription.profile.ProfileRepository;
import com.acme.subscription.profile.UserStats;
import com.acme.subscription.profile.UserStatsRepository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Statistics, read through the entities: one profile's, and the service-wide counts (docs/activity-and-stats.md). */
@ApplicationScoped
public class StatsService {

    /** Base tiers ("disabled" for none). */
    static final String BY_TIER = "select p.tier, count(p) from Profile p group by p.tier";
    /** Grants in force now, by who gave them. */
    static final String ACTIVE_GRANTS = """
            select g.grantedBy, count(g) from AccessGrant g
            where g.isActive = true and g.validFrom <= :now and :now < g.validUntil group by g.grantedBy""";
    static final String PAUSED_GRANTS = "select count(g) from AccessGrant g where g.pausedBy is not null";
    /** Redemptions of the last 30 days, by coupon type. */
    static final String REDEMPTIONS = """
            select c.type, count(r) from CouponRedemption r join Coupon c on c.id = r.couponId
            where r.redeemedAt > :since and r.redeemedAt <= :now group by c.type""";
    /** The counters of the current period (a counter of an ended period counts 0), summed by feature. */
    static final String USAGE = """
            select u.featureId, sum(u.usageCount) from FeatureUsage u join Feature f on f.id = u.featureId
            where f.resetPeriod = :never or u.resetAt > :now group by u.featureId""";

    private final ProfileRepository profiles;
    private final UserStatsRepository userStats;
    private final Clock clock;

    public StatsService(ProfileRepository profiles, UserStatsRepository userStats, Clock clock) {
        this.profiles = profiles;
        this.userStats = userStats;
        this.clock = clock;
    }

    /** The profile's statistics; zeros for a profile that has no statistics row. */
    @WithSession
    public Uni<ProfileStats> ofProfile(String profileId) {
        return profiles.count("id", profileId).flatMap(count -> {
            if (count == 0) {
                throw NotFound.profile(profileId);
            }
            return userStats.findById(profileId);
        }).map(stats -> stats == null
                ? new ProfileStats(profileId, null, 0, 0, 0, 0, 0, null, null)
                : new ProfileStats(profileId, stats.lastLogin, stats.loginCount, stats.weightEntriesCount,
                        stats.aiCallsCount, stats.photosCount, stats.totalDataPoints, stats.created, stats.updated));
    }

    @WithSession
    public Uni<ServiceStats> all() {
        Instant now = clock.instant();
        return profiles.count().flatMap(total -> profiles.count("emailVerified", true)
                .flatMap(verified -> counts(BY_TIER, Map.of(), tier -> tier == null ? "disabled" : (String) tier)
                        .map(byTier -> new ServiceStats.Profiles(total, verified, byTier))))
                .flatMap(profileCounts -> counts(ACTIVE_GRANTS, Map.of("now", now), String.class::cast)
                        .flatMap(active -> count(PAUSED_GRANTS)
                                .map(paused -> new ServiceStats.Grants(active, paused)))
                        .flatMap(grants -> counts(REDEMPTIONS, Map.of("since", now.minus(Duration.ofDays(30)), "now", now),
                                type -> ((CouponType) type).wire())
                                .flatMap(redemptions -> counts(USAGE, Map.of("never", ResetPeriod.NEVER, "now", now),
                                        String.class::cast)
                                        .map(usage -> new ServiceStats(profileCounts, grants, redemptions, usage)))));
    }

    /** A two-column (key, number) query as a map sorted by key. */
    private static Uni<Map<String, Long>> counts(String query, Map<String, Object> parameters,
            Function<Object, String> key) {
        return Panache.getSession().flatMap(session -> {
            var selection = session.createSelectionQuery(query, Object[].class);
            parameters.forEach(selection::setParameter);
            return selection.getResultList();
        }).map((List<Object[]> rows) -> {
            Map<String, Long> counts = new TreeMap<>();
            rows.forEach(row -> counts.put(key.apply(row[0]), ((Number) row[1]).longValue()));
            return counts;
        });
    }

    private static Uni<Long> count(String query) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(query, Long.class).getSingleResult());
    }
}
