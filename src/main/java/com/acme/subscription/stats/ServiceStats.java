package com.acme.subscription.stats;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /stats}: service-wide figures (docs/activity-and-stats.md). */
@RegisterForReflection
@Schema(name = "ServiceStats")
public record ServiceStats(Profiles profiles, Grants grants, Map<String, Long> redemptionsLast30Days,
        Map<String, Long> usage) {

    @Schema(name = "ProfileCounts")
    public record Profiles(long total, long emailVerified, Map<String, Long> byTier) {
    }

    @Schema(name = "GrantCounts")
    public record Grants(Map<String, Long> active, long paused) {
    }
}
