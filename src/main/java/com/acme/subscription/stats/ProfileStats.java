package com.acme.subscription.stats;

import java.time.Instant;

/** {@code GET /profiles/{id}/stats}: the profile's user_stats. */
public record ProfileStats(String profileId, Instant lastLogin, int loginCount, int weightEntriesCount,
        int aiCallsCount, int photosCount, int totalDataPoints, Instant created, Instant updated) {
}
