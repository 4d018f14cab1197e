package com.acme.subscription.coupon;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /coupons}. Codes are trimmed and compared case-insensitively. */
@Schema(name = "CouponInput")
public record CouponInput(
        @NotBlank @Size(max = 64) @Pattern(regexp = "\\s*[\\x21-\\x7E]+\\s*", message = "must be printable ASCII without spaces")
        String code,
        @NotNull CouponType type,
        @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a tier id") String tierId,
        @Schema(nullable = true, description = "Needed by period and wellpass") @Min(1) @Max(36500) Integer durationDays,
        @Schema(nullable = true, description = "null is unlimited; single_use: 1") @Min(1) Integer maxRedemptions,
        @Schema(nullable = true) Instant validFrom,
        @Schema(nullable = true) Instant validUntil,
        @Schema(nullable = true, defaultValue = "true") Boolean active,
        @Schema(nullable = true) @Size(max = 1000) String description) {
}
