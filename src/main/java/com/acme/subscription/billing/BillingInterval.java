package com.acme.subscription.billing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How often a subscription bills: each tier has at most one Stripe price per interval. */
public enum BillingInterval {
    @JsonProperty("month")
    MONTH,
    @JsonProperty("year")
    YEAR;

    /** As tier_prices and Stripe spell it. */
    public String wire() {
        return name().toLowerCase();
    }
}
