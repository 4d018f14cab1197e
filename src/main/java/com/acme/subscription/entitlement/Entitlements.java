package com.acme.subscription.entitlement;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /profiles/{id}/entitlements}: the tier summary and one check per active feature. */
@RegisterForReflection
@Schema(name = "Entitlements", description = "The effective tier and one check per active feature")
public record Entitlements(String profileId, TierSummary tier,
        @Schema(description = "The base tier; disabled when it has none") String baseTier,
        boolean emailVerified, List<Check> features) {
}
