package com.acme.subscription.override;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A profile's own limit of a feature; null is unlimited, 0 disabled. {@code createdBy} is the admin's sub. */
@RegisterForReflection
@Schema(name = "FeatureOverride")
public record OverrideView(String profileId, String featureId,
        @Schema(nullable = true, description = "null is unlimited, 0 disabled") Integer limit,
        @Schema(nullable = true) String reason, @Schema(nullable = true) String createdBy,
        Instant created, Instant updated) {

    static OverrideView from(FeatureOverride override) {
        return new OverrideView(override.profileId, override.featureId, override.limit, override.reason,
                override.createdBy, override.created, override.updated);
    }
}
