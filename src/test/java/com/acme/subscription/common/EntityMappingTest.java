package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.acme.subscription.activity.ActivityEntry;
import com.acme.subscription.catalog.Feature;
import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.catalog.ResetPeriod;
import com.acme.subscription.catalog.Tier;
import com.acme.subscription.catalog.TierLimit;
import com.acme.subscription.coupon.Coupon;
import com.acme.subscription.coupon.CouponRedemption;
import com.acme.subscription.grant.AccessGrant;
import com.acme.subscription.override.FeatureOverride;
import com.acme.subscription.profile.Profile;
import com.acme.subscription.profile.UserStats;
import com.acme.subscription.settings.AppSetting;
import com.acme.subscription.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Every table of the schema reads into its Panache entity, column by column. */
@QuarkusTest
class EntityMappingTest {

    @Inject
    Mutiny.SessionFactory sessions;

    @BeforeAll
    static void rows() {
        Database.update("""
                INSERT INTO profiles (id, email, role, tier, trial_ends_at, email_verified)
                VALUES ('p-map', 'Map@Example.com', 'admin', 'selfhosted', '2026-12-01T00:00:00Z', true)
                ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO coupons (id, code, type, tier_id, duration_days, max_redemptions, redemption_count)
                VALUES ('c-map', 'MAP-1', 'wellpass', 'premium', 30, 10, 1) ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO access_grants (id, profile_id, tier_id, granted_by, coupon_id, valid_from, valid_until,
                                           is_active, wellpass, remaining_seconds)
                VALUES ('g-map', 'p-map', 'premium', 'coupon', 'c-map', '2026-11-01T00:00:00Z',
                        '2026-12-01T00:00:00Z', false, true, 90061) ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO coupon_redemptions (id, coupon_id, profile_id, access_grant_id)
                VALUES ('r-map', 'c-map', 'p-map', 'g-map') ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO user_feature_restrictions (id, profile_id, feature_id, limit_value, reason, created_by)
                VALUES ('o-map', 'p-map', 'photos', 0, 'abuse', 'admin-1') ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO user_feature_usage (id, profile_id, feature_id, usage_count, reset_at)
                VALUES ('u-map', 'p-map', 'ai_calls', 3, '2026-12-01T00:00:00Z') ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO user_activity_log (id, profile_id, action, details, ip_address, user_agent)
                VALUES ('a-map', 'p-map', 'coupon_redeemed', '{"code": "MAP-1", "days": 30}', '10.0.0.1', 'curl')
                ON CONFLICT DO NOTHING""");
        Database.update("""
                INSERT INTO user_stats (profile_id, login_count, photos_count, total_data_points)
                VALUES ('p-map', 2, 3, 4) ON CONFLICT DO NOTHING""");
    }

    private <T> T find(Class<T> type, Object id) {
        return read(session -> session.find(type, id));
    }

    private <T> T read(Function<Mutiny.Session, Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sessions.withSession(work));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void catalogEntities() {
        Tier basic = find(Tier.class, "basic");
        assertEquals(499, basic.priceMonthlyCents);
        assertEquals(2, basic.sortOrder);
        assertTrue(basic.active);
        assertTrue(basic.created.isBefore(Instant.now().plusSeconds(1)));

        Feature aiCalls = find(Feature.class, "ai_calls");
        assertEquals(LimitType.COUNT, aiCalls.limitType);
        assertEquals(ResetPeriod.MONTHLY, aiCalls.resetPeriod);
        assertEquals(0, aiCalls.defaultLimit);
        assertEquals(LimitType.BOOLEAN, find(Feature.class, "export_zip").limitType);

        TierLimit cell = read(s -> s.createSelectionQuery(
                "from TierLimit where tierId = 'free' and featureId = 'photos'", TierLimit.class).getSingleResult());
        assertEquals(5, cell.limit);

        assertEquals("UTC", find(AppSetting.class, "usage_reset_zone").value);
    }

    @Test
    void profileEntities() {
        Profile profile = find(Profile.class, "p-map");
        assertEquals("Map@Example.com", profile.email);
        assertEquals("admin", profile.role);
        assertEquals("selfhosted", profile.tier);
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), profile.trialEndsAt);
        assertTrue(profile.emailVerified);
        assertNull(profile.invitedBy);

        FeatureOverride override = find(FeatureOverride.class, "o-map");
        assertEquals(0, override.limit);
        assertEquals("admin-1", override.createdBy);

        var usage = find(com.acme.subscription.usage.FeatureUsage.class, "u-map");
        assertEquals(3, usage.usageCount);
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), usage.resetAt);

        UserStats stats = find(UserStats.class, "p-map");
        assertEquals(2, stats.loginCount);
        assertEquals(4, stats.totalDataPoints);
    }

    @Test
    void couponGrantAndActivityEntities() {
        Coupon coupon = find(Coupon.class, "c-map");
        assertEquals(com.acme.subscription.coupon.CouponType.WELLPASS, coupon.type);
        assertEquals(10, coupon.maxRedemptions);
        assertEquals(1, coupon.redemptionCount);
        assertTrue(coupon.seq > 0);

        CouponRedemption redemption = find(CouponRedemption.class, "r-map");
        assertEquals("g-map", redemption.accessGrantId);

        AccessGrant grant = find(AccessGrant.class, "g-map");
        assertFalse(grant.isActive);
        assertTrue(grant.wellpass);
        assertEquals(90061L, grant.remainingSeconds);
        assertEquals("coupon", grant.grantedBy);

        ActivityEntry entry = find(ActivityEntry.class, "a-map");
        assertEquals(Map.of("code", "MAP-1", "days", 30), entry.details);
        assertEquals("10.0.0.1", entry.ipAddress);
        assertTrue(entry.seq > 0);
    }
}
