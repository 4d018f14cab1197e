package com.acme.subscription.stats;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /profiles/{id}/stats}: the profile's user_stats. */
@RegisterForReflection
@Schema(name = "ProfileStats")
public record ProfileStats(String profileId, @Schema(nullable = true) Instant lastLogin, int loginCount, int weightEntriesCount,
        int aiCallsCount, int photosCount, int totalDataPoints, Instant created, Instant updated) {
}
