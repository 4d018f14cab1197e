package com.acme.subscription.entitlement;

import java.util.List;

/** {@code GET /profiles/{id}/entitlements}: the tier summary and one check per active feature. */
public record Entitlements(String profileId, TierSummary tier, String baseTier, boolean emailVerified,
        List<Check> features) {
}
