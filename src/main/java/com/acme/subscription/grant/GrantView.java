package com.acme.subscription.grant;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An access grant as the API shows it. While paused, {@code remainingSeconds} is the exact
 * remaining time and {@code remainingDays} that time rounded up to whole days.
 */
@RegisterForReflection
@Schema(name = "Grant", description = "Access to a tier for a time")
public record GrantView(String id, String profileId, String tierId,
        @Schema(enumeration = { "coupon", "admin", "trial", "subscription" }) String grantedBy,
        @Schema(nullable = true) String couponId,
        @Schema(description = "Came from a wellpass coupon: while active, it pauses the profile's other grants") boolean wellpass,
        @Schema(nullable = true, description = "The Stripe subscription that pays for it; such a grant is never paused")
        String subscriptionId,
        Instant validFrom, Instant validUntil,
        @Schema(description = "False when paused, expired or revoked") boolean isActive,
        @Schema(nullable = true, description = "The Wellpass grant that paused it") String pausedBy,
        @Schema(nullable = true) Instant pausedAt,
        @Schema(nullable = true, description = "While paused: the remaining time, rounded up to whole days") Integer remainingDays,
        @Schema(nullable = true, description = "While paused: the exact remaining time in seconds") Long remainingSeconds,
        @Schema(nullable = true) Instant revokedAt,
        Instant created) {

    /** The API's view of a grant row: everything but when it was last updated. */
    public static GrantView from(AccessGrant grant) {
        return new GrantView(grant.id, grant.profileId, grant.tierId, grant.grantedBy, grant.couponId, grant.wellpass,
                grant.subscriptionId, grant.validFrom, grant.validUntil, grant.isActive, grant.pausedBy, grant.pausedAt, grant.remainingDays,
                grant.remainingSeconds, grant.revokedAt, grant.created);
    }
}
