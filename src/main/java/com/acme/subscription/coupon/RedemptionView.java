package com.acme.subscription.coupon;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One profile's redemption of one coupon. */
@RegisterForReflection
@Schema(name = "Redemption")
public record RedemptionView(String id, String couponId, String profileId, String code, CouponType type,
        Instant redeemedAt,
        @Schema(nullable = true, description = "The grant it created; null for a base-tier raise") String accessGrantId) {

    static RedemptionView of(CouponRedemption redemption, Coupon coupon) {
        return new RedemptionView(redemption.id, redemption.couponId, redemption.profileId, coupon.code, coupon.type,
                redemption.redeemedAt, redemption.accessGrantId);
    }
}
