package com.acme.subscription.billing;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * stripe-java reads Stripe's answers with Gson, by reflection: in a native image the objects the
 * service receives (and their nested types) must be registered, as Quarkus has no Stripe extension.
 */
@RegisterForReflection(ignoreNested = false, targets = { com.stripe.model.Customer.class,
        com.stripe.model.checkout.Session.class, com.stripe.model.billingportal.Session.class,
        com.stripe.model.StripeError.class, com.stripe.model.ExpandableField.class })
final class StripeReflection {

    private StripeReflection() {
    }
}
