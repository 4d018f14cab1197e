package com.acme.subscription.entitlement;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /profiles/{id}/entitlements}: the tier summary and one check per active feature. */
@RegisterForReflection
public record Entitlements(String profileId, TierSummary tier, String baseTier, boolean emailVerified,
        List<Check> features) {
}
