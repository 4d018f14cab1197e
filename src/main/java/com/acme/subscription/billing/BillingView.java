package com.acme.subscription.billing;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A profile's billing: its Stripe customer and that customer's subscriptions as Stripe last told them. */
@RegisterForReflection
@Schema(name = "Billing")
public record BillingView(
        @Schema(nullable = true, description = "The Stripe customer (cus_...); null until a checkout created or "
                + "linked one") String customerId,
        @Schema(description = "The customer's subscriptions, newest first") List<Subscription> subscriptions) {

    /** One Stripe subscription, in its newest state the webhook told. */
    @RegisterForReflection
    @Schema(name = "BillingSubscription")
    public record Subscription(
            @Schema(description = "Stripe's id (sub_...)") String id,
            @Schema(description = "Stripe's status: active, trialing, past_due, canceled, unpaid, incomplete, "
                    + "incomplete_expired or paused") String status,
            @Schema(nullable = true, description = "The tier of its price; null when no tier has that price") String tierId,
            @Schema(nullable = true, description = "Stripe's price (price_...)") String priceId,
            @Schema(nullable = true, description = "Stripe's billing interval of the price, e.g. month or year")
            String interval,
            @Schema(nullable = true, description = "End of the current period") Instant currentPeriodEnd,
            @Schema(description = "true: it ends at currentPeriodEnd") boolean cancelAtPeriodEnd) {
    }
}
