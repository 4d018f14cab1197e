package com.acme.subscription.coupon;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /profiles/{id}/redemptions}. */
@Schema(name = "RedemptionInput")
public record RedemptionInput(@NotBlank @Size(max = 100) String code) {

    /** Codes are trimmed (and compared case-insensitively). */
    public RedemptionInput normalized() {
        return new RedemptionInput(code.trim());
    }
}
