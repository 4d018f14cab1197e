package com.acme.subscription.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.coupon.RedemptionRepository;
import com.acme.subscription.grant.GrantRepository;
import com.acme.subscription.profile.ProfileRepository;
import com.acme.subscription.profile.UserStatsRepository;
import com.acme.subscription.usage.FeatureUsageRepository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Statistics (docs/activity-and-stats.md): one profile's, and the service-wide counts, each
 * asked of the repository that owns the rows: the grants in one statement with the check's rule
 * for ended pauses, the rest in one session.
 */
@ApplicationScoped
public class StatsService {

    /** Redemptions are counted over this window up to now. */
    static final Duration REDEMPTION_WINDOW = Duration.ofDays(30);

    private final ProfileRepository profiles;
    private final UserStatsRepository userStats;
    private final GrantRepository grants;
    private final RedemptionRepository redemptions;
    private final FeatureUsageRepository usage;
    private final Pool pool;
    private final Clock clock;

    public StatsService(ProfileRepository profiles, UserStatsRepository userStats, GrantRepository grants,
            RedemptionRepository redemptions, FeatureUsageRepository usage, Pool pool, Clock clock) {
        this.profiles = profiles;
        this.userStats = userStats;
        this.grants = grants;
        this.redemptions = redemptions;
        this.usage = usage;
        this.pool = pool;
        this.clock = clock;
    }

    /** The profile's statistics; zeros for a profile that has no statistics row (as the monolith left some). */
    @WithSession
    public Uni<ProfileStats> ofProfile(String profileId) {
        // every profile since registration has its row: the profile is looked up only when there is none
        return userStats.findById(profileId).flatMap(stats -> stats != null
                ? Uni.createFrom().item(new ProfileStats(profileId, stats.lastLogin, stats.loginCount,
                        stats.weightEntriesCount, stats.aiCallsCount, stats.photosCount, stats.totalDataPoints,
                        stats.created, stats.updated))
                : profiles.findById(profileId).map(profile -> {
                    if (profile == null) {
                        throw NotFound.profile(profileId);
                    }
                    // nothing counted yet: zeros, as of the profile's creation
                    return new ProfileStats(profileId, null, 0, 0, 0, 0, 0, profile.created, profile.created);
                }));
    }

    /**
     * The grants are counted first, on a connection of their own that goes back to the pool before
     * the session takes one: a request never holds one connection while waiting for a second (with
     * as many such requests as connections, none would ever get its second).
     */
    public Uni<ServiceStats> all() {
        Instant now = clock.instant();
        return grants.countsAt(pool, now).flatMap(grantCounts -> Panache.withSession(() -> profiles.count()
                .flatMap(total -> profiles.count("emailVerified", true)
                        .flatMap(verified -> profiles.countsByBaseTier()
                                .map(byTier -> new ServiceStats.Profiles(total, verified, byTier))))
                .flatMap(counts -> redemptions.countsByCouponType(now.minus(REDEMPTION_WINDOW), now)
                        .flatMap(redeemed -> usage.currentTotals(now)
                                .map(totals -> new ServiceStats(counts,
                                        new ServiceStats.Grants(grantCounts.inForceByGrantor(), grantCounts.paused()),
                                        redeemed, totals))))));
    }
}
