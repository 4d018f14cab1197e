package com.acme.subscription.billing;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /profiles/{id}/billing/checkout-sessions}. */
@Schema(name = "CheckoutSessionInput")
public record CheckoutSessionInput(
        @Schema(description = "The tier to subscribe to") @NotNull
        @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a tier id") String tierId,
        @Schema(description = "Which of the tier's prices: monthly or yearly") @NotNull BillingInterval interval,
        @Schema(description = "Where Stripe sends the customer after paying; Stripe replaces {CHECKOUT_SESSION_ID} "
                + "in it with the session's id") @NotNull @Size(max = CheckoutSessionInput.MAX_URL)
        @Pattern(regexp = CheckoutSessionInput.URL, message = CheckoutSessionInput.URL_MESSAGE) String successUrl,
        @Schema(description = "Where Stripe sends the customer who leaves the checkout") @NotNull
        @Size(max = CheckoutSessionInput.MAX_URL)
        @Pattern(regexp = CheckoutSessionInput.URL, message = CheckoutSessionInput.URL_MESSAGE) String cancelUrl) {

    /** An absolute http or https URL with a host: Stripe redirects the browser there. */
    static final String URL = "https?://[^\\s/?#]+[^\\s]*";
    static final String URL_MESSAGE = "must be an absolute http or https URL";
    static final int MAX_URL = 2000;
}
