package com.acme.subscription.grant;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/**
 * An access grant as the API shows it. While paused, {@code remainingSeconds} is the exact
 * remaining time and {@code remainingDays} that time rounded up to whole days.
 */
@RegisterForReflection
@Schema(name = "Grant", description = "Access to a tier for a time")
public record GrantView(String id, String profileId, String tierId,
        @Schema(enumeration = { "coupon", "admin", "trial", "subscription" }) String grantedBy,
        @Schema(nullable = true) String couponId,
        @Schema(description = "Came from a wellpass coupon: while active, it pauses the profile's other grants") boolean wellpass,
        Instant validFrom, Instant validUntil,
        @Schema(description = "False when paused, expired or revoked") boolean isActive,
        @Schema(nullable = true, description = "The Wellpass grant that paused it") String pausedBy,
        @Schema(nullable = true) Instant pausedAt,
        @Schema(nullable = true, description = "While paused: the remaining time, rounded up to whole days") Integer remainingDays,
        @Schema(nullable = true, description = "While paused: the exact remaining time in seconds") Long remainingSeconds,
        @Schema(nullable = true) Instant revokedAt,
        Instant created) {

    public static final String COLUMNS = "id, profile_id, tier_id, granted_by, coupon_id, wellpass, valid_from, "
            + "valid_until, is_active, paused_by, paused_at, remaining_days, remaining_seconds, revoked_at, created";

    public static GrantView from(Row row) {
        return new GrantView(row.getString("id"), row.getString("profile_id"), row.getString("tier_id"),
                row.getString("granted_by"), row.getString("coupon_id"), row.getBoolean("wellpass"),
                instant(row.getOffsetDateTime("valid_from")), instant(row.getOffsetDateTime("valid_until")),
                row.getBoolean("is_active"), row.getString("paused_by"), instant(row.getOffsetDateTime("paused_at")),
                row.getInteger("remaining_days"), row.getLong("remaining_seconds"),
                instant(row.getOffsetDateTime("revoked_at")), instant(row.getOffsetDateTime("created")));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
