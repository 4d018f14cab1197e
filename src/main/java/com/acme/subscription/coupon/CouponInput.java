package com.acme.subscription.coupon;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /coupons}. Codes are trimmed and compared case-insensitively. */
public record CouponInput(
        @NotBlank @Size(max = 64) @Pattern(regexp = "\\s*[\\x21-\\x7E]+\\s*", message = "must be printable ASCII without spaces")
        String code,
        @NotNull CouponType type,
        @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a tier id") String tierId,
        @Min(1) @Max(36500) Integer durationDays,
        @Min(1) Integer maxRedemptions,
        Instant validFrom,
        Instant validUntil,
        Boolean active,
        @Size(max = 1000) String description) {
}
