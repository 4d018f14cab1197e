package com.acme.subscription.entitlement;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The effective tier and where it comes from: the base tier or a grant. */
@RegisterForReflection
@Schema(name = "TierSummary")
public record TierSummary(
        @Schema(description = "The effective tier; disabled when the profile has no access") String id,
        @Schema(nullable = true, description = "null for disabled") String name,
        @Schema(enumeration = { "grant", "base" }) String source,
        @Schema(nullable = true, description = "The grant that gives the tier (source grant)") String grantId,
        @Schema(nullable = true, enumeration = { "coupon", "admin", "trial", "subscription" }) String grantedBy,
        @Schema(nullable = true, description = "End of that grant") Instant validUntil) {
}
