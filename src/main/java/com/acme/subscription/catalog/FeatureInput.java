package com.acme.subscription.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /features/{featureId}}. Missing values take the registry's defaults:
 * limitType count, resetPeriod never, defaultLimit null (unlimited), active true.
 */
@Schema(name = "FeatureInput")
public record FeatureInput(
        @NotBlank @Size(max = 200) String name,
        @Schema(nullable = true) @Size(max = 2000) String description,
        @Schema(nullable = true) @Size(max = 100) String category,
        @Schema(nullable = true, defaultValue = "count") LimitType limitType,
        @Schema(nullable = true, defaultValue = "never") ResetPeriod resetPeriod,
        @Schema(nullable = true, description = "null (the default) is unlimited, 0 disabled") @PositiveOrZero Integer defaultLimit,
        @Schema(nullable = true, defaultValue = "true") Boolean active) {

    public LimitType limitTypeOrDefault() {
        return limitType == null ? LimitType.COUNT : limitType;
    }

    public ResetPeriod resetPeriodOrDefault() {
        return resetPeriod == null ? ResetPeriod.NEVER : resetPeriod;
    }

    public boolean activeOrDefault() {
        return active == null || active;
    }
}
