package com.acme.subscription.stats;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /profiles/{id}/stats}: the profile's user_stats. */
@RegisterForReflection
public record ProfileStats(String profileId, Instant lastLogin, int loginCount, int weightEntriesCount,
        int aiCallsCount, int photosCount, int totalDataPoints, Instant created, Instant updated) {
}
