package com.acme.subscription.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
        @Schema(nullable = true) @Size(max = 200) @Pattern(regexp = PRICE_ID, message = PRICE_ID_RULE) String stripePriceIdMonthly,
        @Schema(nullable = true) @Size(max = 200) @Pattern(regexp = PRICE_ID, message = PRICE_ID_RULE) String stripePriceIdYearly,
        @Schema(nullable = true, defaultValue = "true") Boolean active,
        @NotNull Integer sortOrder) {

    /** A Stripe price id: something, and no spaces (null: the tier has no price for that interval). */
    static final String PRICE_ID = "\\S+";
    static final String PRICE_ID_RULE = "must be a Stripe price id (not empty, no spaces), or null";

    public boolean activeOrDefault() {
        return active == null || active;
    }
}
