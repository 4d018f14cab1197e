package com.acme.subscription.billing;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A Stripe-hosted page (Checkout or the Customer Portal) to send the customer's browser to. */
@RegisterForReflection
@Schema(name = "BillingSession")
public record BillingSession(@Schema(description = "Stripe's URL of the session; it expires (Checkout after 24 hours, "
        + "the portal after a few minutes), so redirect at once") String url) {
}
