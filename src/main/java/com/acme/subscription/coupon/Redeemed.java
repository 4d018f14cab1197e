package com.acme.subscription.coupon;

import com.acme.subscription.grant.GrantView;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of a redemption: the redemption and the grant it created (null for a base-tier raise). */
@RegisterForReflection
public record Redeemed(RedemptionView redemption, GrantView grant) {
}
