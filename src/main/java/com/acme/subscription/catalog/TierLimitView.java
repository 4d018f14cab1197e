package com.acme.subscription.catalog;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One cell of the matrix as written by {@code PUT /tiers/{tierId}/limits/{featureId}}. */
@RegisterForReflection
@Schema(name = "TierLimit")
public record TierLimitView(String tierId, String featureId,
        @Schema(nullable = true, description = "null is unlimited, 0 disabled") Integer limit) {
}
