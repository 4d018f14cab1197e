package com.acme.subscription.stats;

import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /stats}: service-wide figures (docs/activity-and-stats.md). */
@RegisterForReflection
public record ServiceStats(Profiles profiles, Grants grants, Map<String, Long> redemptionsLast30Days,
        Map<String, Long> usage) {

    public record Profiles(long total, long emailVerified, Map<String, Long> byTier) {
    }

    public record Grants(Map<String, Long> active, long paused) {
    }
}
