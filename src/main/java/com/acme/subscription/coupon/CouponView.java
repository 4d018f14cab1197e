package com.acme.subscription.coupon;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A coupon as the API shows it. */
@RegisterForReflection
@Schema(name = "Coupon")
public record CouponView(String id, String code, CouponType type, @Schema(nullable = true) String tierId,
        @Schema(nullable = true) Integer durationDays,
        @Schema(nullable = true, description = "null is unlimited") Integer maxRedemptions,
        int redemptionCount, @Schema(nullable = true) Instant validFrom, @Schema(nullable = true) Instant validUntil,
        boolean active, @Schema(nullable = true) String createdBy, @Schema(nullable = true) String description,
        Instant created) {

    static final String COLUMNS = "id, seq, code, type, tier_id, duration_days, max_redemptions, redemption_count, "
            + "valid_from, valid_until, active, created_by, description, created";

    static CouponView from(Row row) {
        return new CouponView(row.getString("id"), row.getString("code"), CouponType.ofWire(row.getString("type")),
                row.getString("tier_id"), row.getInteger("duration_days"), row.getInteger("max_redemptions"),
                row.getInteger("redemption_count"), instant(row.getOffsetDateTime("valid_from")),
                instant(row.getOffsetDateTime("valid_until")), row.getBoolean("active"), row.getString("created_by"),
                row.getString("description"), instant(row.getOffsetDateTime("created")));
    }

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
