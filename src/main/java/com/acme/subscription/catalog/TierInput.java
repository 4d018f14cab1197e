package com.acme.subscription.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /tiers/{tierId}}; a missing {@code active} means true. */
public record TierInput(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        @PositiveOrZero Integer priceMonthlyCents,
        @PositiveOrZero Integer priceYearlyCents,
        @Size(max = 200) String stripePriceIdMonthly,
        @Size(max = 200) String stripePriceIdYearly,
        Boolean active,
        @NotNull Integer sortOrder) {

    public boolean activeOrDefault() {
        return active == null || active;
    }
}
