package com.acme.subscription.coupon;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** One profile's redemption of one coupon. */
@RegisterForReflection
@Schema(name = "Redemption")
public record RedemptionView(String id, String couponId, String profileId, String code, CouponType type,
        Instant redeemedAt,
        @Schema(nullable = true, description = "The grant it created; null for a base-tier raise") String accessGrantId) {

    static final String SELECT = """
            SELECT r.id, r.seq, r.coupon_id, r.profile_id, c.code, c.type, r.redeemed_at, r.access_grant_id
            FROM coupon_redemptions r JOIN coupons c ON c.id = r.coupon_id
            """;

    static RedemptionView from(Row row) {
        return new RedemptionView(row.getString("id"), row.getString("coupon_id"), row.getString("profile_id"),
                row.getString("code"), CouponType.ofWire(row.getString("type")),
                row.getOffsetDateTime("redeemed_at").toInstant(), row.getString("access_grant_id"));
    }
}
