package com.acme.subscription.coupon;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.grant.GrantView;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of a redemption: the redemption and the grant it created (null for a base-tier raise). */
@RegisterForReflection
@Schema(name = "Redeemed")
public record Redeemed(RedemptionView redemption,
        @Schema(nullable = true, description = "null when the coupon raised the base tier instead") GrantView grant) {
}
