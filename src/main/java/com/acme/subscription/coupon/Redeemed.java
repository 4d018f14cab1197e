package com.acme.subscription.coupon;

import com.acme.subscription.grant.GrantView;

/** Answer of a redemption: the redemption and the grant it created (null for a base-tier raise). */
public record Redeemed(RedemptionView redemption, GrantView grant) {
}
