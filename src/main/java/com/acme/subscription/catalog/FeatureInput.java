package com.acme.subscription.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /features/{featureId}}. Missing values take the registry's defaults:
 * limitType count, resetPeriod never, defaultLimit null (unlimited), active true.
 */
public record FeatureInput(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        @Size(max = 100) String category,
        LimitType limitType,
        ResetPeriod resetPeriod,
        @PositiveOrZero Integer defaultLimit,
        Boolean active) {

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
