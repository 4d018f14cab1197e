package com.acme.subscription.coupon;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The published shape of {@code PATCH /coupons/{couponId}}. The service reads the body as a
 * JSON object, because an absent field (unchanged) and a null one (cleared) differ.
 */
@Schema(name = "CouponPatch", description = "Only the fields given change; any other field is a 400.")
public record CouponPatch(
        Boolean active,
        @Schema(nullable = true, description = "null: valid from now on") Instant validFrom,
        @Schema(nullable = true, description = "null: valid without end") Instant validUntil,
        @Schema(nullable = true) String description,
        @Schema(nullable = true, minimum = "1", description = "null is unlimited; not below redemptionCount (409); "
                + "single_use: 1") Integer maxRedemptions) {
}
