package com.acme.subscription.event;

/** What happened to a profile (docs/events.md): the {@code type} of a CloudEvent. */
public enum EventType {
    PROFILE_REGISTERED("profile.registered"),
    PROFILE_ACTIVATED("profile.activated"),
    PROFILE_ERASED("profile.erased"),
    PROFILE_TIER_CHANGED("profile.tier_changed"),
    GRANT_CREATED("grant.created"),
    GRANT_REVOKED("grant.revoked"),
    GRANT_EXPIRED("grant.expired"),
    GRANT_PAUSED("grant.paused"),
    GRANT_RESUMED("grant.resumed"),
    GRANT_EXPIRING("grant.expiring"),
    USAGE_THRESHOLD_REACHED("usage.threshold_reached"),
    USAGE_RESET("usage.reset"),
    COUPON_REDEEMED("coupon.redeemed"),
    SUBSCRIPTION_ACTIVATED("subscription.activated"),
    SUBSCRIPTION_RENEWED("subscription.renewed"),
    SUBSCRIPTION_PAST_DUE("subscription.past_due"),
    SUBSCRIPTION_CANCELED("subscription.canceled");

    private final String type;

    EventType(String type) {
        this.type = type;
    }

    /** As it is sent, e.g. {@code grant.expired}. */
    public String type() {
        return type;
    }
}
