package com.acme.subscription.entitlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.catalog.ResetPeriod;

/** The decision order of the check, first match wins (docs/entitlements.md). */
class EntitlementRulesTest {

    static final ProfileAccess ACTIVE = new ProfileAccess("p", true, "free", true, true, "free", "Free", "base", null,
            null, null);
    static final ProfileAccess UNVERIFIED = new ProfileAccess("p", true, "free", false, false, "free", "Free", "base",
            null, null, null);
    static final ProfileAccess NO_TIER = new ProfileAccess("p", true, null, true, true, null, null, null, null, null,
            null);

    static FeatureState count(Integer limit, long used, boolean active) {
        return new FeatureState("f", LimitType.COUNT, ResetPeriod.NEVER, active, "data", active ? "tier" : "inactive",
                active ? limit : null, used, null, null);
    }

    static FeatureState bool(Integer limit) {
        return new FeatureState("b", LimitType.BOOLEAN, ResetPeriod.NEVER, true, "export", "tier", limit, 0, null, null);
    }

    @Test
    void activationComesFirstEvenForInactiveFeatures() {
        assertEquals("email_not_verified", EntitlementRules.check(UNVERIFIED, count(10, 0, false), 1).reason());
        assertEquals("email_not_verified", EntitlementRules.check(
                new ProfileAccess("p", true, null, false, false, null, null, null, null, null, null), count(0, 0, true), 1)
                .reason());
        assertEquals("access_disabled", EntitlementRules.check(NO_TIER, count(null, 0, false), 1).reason());
    }

    @Test
    void anInactiveFeatureIsAllowedAndUnlimited() {
        Check check = EntitlementRules.check(ACTIVE, count(null, 99, false), 1_000_000);
        assertTrue(check.allowed());
        assertTrue(check.unlimited());
        assertNull(check.remaining());
        assertEquals("inactive", check.limitSource());
    }

    @Test
    void zeroIsDisabledAndTheLimitCountsTheAmount() {
        assertEquals("feature_disabled", EntitlementRules.check(ACTIVE, count(0, 0, true), 1).reason());
        assertTrue(EntitlementRules.check(ACTIVE, count(30, 25, true), 5).allowed());
        Check over = EntitlementRules.check(ACTIVE, count(30, 25, true), 6);
        assertFalse(over.allowed());
        assertEquals("limit_reached", over.reason());
        assertEquals(5L, over.remaining());
    }

    @Test
    void remainingIsNeverNegative() {
        Check check = EntitlementRules.check(ACTIVE, count(4, 10, true), 1);
        assertEquals(0L, check.remaining());
        assertEquals(10L, check.used());
    }

    @Test
    void booleanFeaturesHaveNoCounter() {
        Check allowed = EntitlementRules.check(ACTIVE, bool(1), 1);
        assertTrue(allowed.allowed());
        assertNull(allowed.used());
        assertNull(allowed.remaining());
        assertTrue(EntitlementRules.check(ACTIVE, bool(null), 1).allowed());
        assertEquals("feature_disabled", EntitlementRules.check(ACTIVE, bool(0), 1).reason());
    }

    @Test
    void aDisabledBaseTierReadsAsDisabled() {
        TierSummary tier = EntitlementRules.tier(NO_TIER);
        assertEquals("disabled", tier.id());
        assertEquals("base", tier.source());
        assertEquals("disabled", EntitlementRules.baseTier(NO_TIER));
        Instant until = Instant.parse("2026-12-01T00:00:00Z");
        TierSummary grant = EntitlementRules.tier(new ProfileAccess("p", true, "free", true, true, "premium", "Premium",
                "grant", "g1", "trial", until));
        assertEquals("g1", grant.grantId());
        assertEquals(until, grant.validUntil());
    }
}
