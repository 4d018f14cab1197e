package com.acme.subscription.entitlement;

import com.acme.subscription.catalog.LimitType;

/**
 * Turns resolved state into the check object. Which limit applies (override, tier,
 * default, inactive) is resolved in SQL ({@link EntitlementSql}), where the consume
 * statement enforces it; this decides allowed, remaining and the reason.
 */
public final class EntitlementRules {

    public static final String EMAIL_NOT_VERIFIED = "email_not_verified";
    public static final String ACCESS_DISABLED = "access_disabled";
    public static final String FEATURE_DISABLED = "feature_disabled";
    public static final String LIMIT_REACHED = "limit_reached";

    private EntitlementRules() {
    }

    public static Check check(ProfileAccess access, FeatureState feature, long amount) {
        boolean metered = feature.limitType() != LimitType.BOOLEAN;
        Integer limit = feature.limit();
        boolean unlimited = limit == null;
        String reason = reason(access, feature, amount);
        Long used = metered ? feature.used() : null;
        Long remaining = metered && !unlimited ? Math.max(limit - feature.used(), 0) : null;
        return new Check(feature.featureId(), feature.limitType(), reason == null, limit, used, remaining, unlimited,
                feature.resetPeriod(), metered ? feature.resetAt() : null, feature.limitSource(), reason);
    }

    /** The first reason that denies, or null: activation first (it denies inactive features too). */
    static String reason(ProfileAccess access, FeatureState feature, long amount) {
        if (!access.activated()) {
            return EMAIL_NOT_VERIFIED;
        }
        if (!access.hasAccess()) {
            return ACCESS_DISABLED;
        }
        if (!feature.active() || feature.limit() == null) {
            return null;
        }
        if (feature.limit() == 0) {
            return FEATURE_DISABLED;
        }
        if (feature.limitType() != LimitType.BOOLEAN && feature.used() + amount > feature.limit()) {
            return LIMIT_REACHED;
        }
        return null;
    }

    public static TierSummary tier(ProfileAccess access) {
        if (!access.hasAccess()) {
            return new TierSummary(ProfileAccess.DISABLED, null, "base", null, null, null);
        }
        return new TierSummary(access.tierId(), access.tierName(), access.source(), access.grantId(),
                access.grantedBy(), access.validUntil());
    }

    public static String baseTier(ProfileAccess access) {
        return access.baseTier() == null ? ProfileAccess.DISABLED : access.baseTier();
    }
}
