package com.acme.subscription.coupon;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A coupon as the API shows it. */
@RegisterForReflection
@Schema(name = "Coupon")
public record CouponView(String id, String code, CouponType type, @Schema(nullable = true) String tierId,
        @Schema(nullable = true) Integer durationDays,
        @Schema(nullable = true, description = "null is unlimited") Integer maxRedemptions,
        int redemptionCount, @Schema(nullable = true) Instant validFrom, @Schema(nullable = true) Instant validUntil,
        boolean active, @Schema(nullable = true) String createdBy, @Schema(nullable = true) String description,
        Instant created) {

    static CouponView from(Coupon coupon) {
        return new CouponView(coupon.id, coupon.code, coupon.type, coupon.tierId, coupon.durationDays,
                coupon.maxRedemptions, coupon.redemptionCount, coupon.validFrom, coupon.validUntil, coupon.active,
                coupon.createdBy, coupon.description, coupon.created);
    }
}
