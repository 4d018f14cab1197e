package com.acme.subscription.grant;

import java.time.Instant;

/** A grant about to be created: by an admin, the billing system, a coupon or the trial. */
public record NewGrant(String profileId, String tierId, String grantedBy, String couponId, boolean wellpass,
        Instant validFrom, Instant validUntil, String subscriptionId) {

    public NewGrant(String profileId, String tierId, String grantedBy, String couponId, boolean wellpass,
            Instant validFrom, Instant validUntil) {
        this(profileId, tierId, grantedBy, couponId, wellpass, validFrom, validUntil, null);
    }

    public static final String ADMIN = "admin";
    public static final String SUBSCRIPTION = "subscription";
    public static final String COUPON = "coupon";
    public static final String TRIAL = "trial";
}
