package com.acme.subscription.billing;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Stripe account (docs/billing.md): STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE.
 * Without the key and the secret, billing is off and its endpoints answer 404 billing_not_configured.
 */
@ConfigMapping(prefix = "stripe")
public interface StripeConfig {

    /** The secret API key (sk_...), for Checkout and Customer Portal sessions. */
    Optional<String> apiKey();

    /** The signing secret of the webhook endpoint (whsec_...). */
    Optional<String> webhookSecret();

    /** Stripe's API; tests point it at a local server. */
    @WithDefault("https://api.stripe.com")
    String apiBase();

    default boolean configured() {
        return apiKey().filter(key -> !key.isBlank()).isPresent()
                && webhookSecret().filter(secret -> !secret.isBlank()).isPresent();
    }
}
