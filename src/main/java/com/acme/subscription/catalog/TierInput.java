package com.acme.subscription.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT /tiers/{tierId}}; a missing {@code active} means true. */
@Schema(name = "TierInput")
public record TierInput(
        @NotBlank @Size(max = 200) String name,
        @Schema(nullable = true) @Size(max = 2000) String description,
        @Schema(nullable = true) @PositiveOrZero Integer priceMonthlyCents,
        @Schema(nullable = true) @PositiveOrZero Integer priceYearlyCents,
        @Schema(nullable = true) @Size(max = 200) String stripePriceIdMonthly,
        @Schema(nullable = true) @Size(max = 200) String stripePriceIdYearly,
        @Schema(nullable = true, defaultValue = "true") Boolean active,
        @NotNull Integer sortOrder) {

    public boolean activeOrDefault() {
        return active == null || active;
    }
}
