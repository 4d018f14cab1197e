package com.acme.subscription.billing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.acme.subscription.common.error.ApiException;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The calls this service makes to Stripe's API: a customer, a Checkout session, a Customer Portal
 * session. stripe-java talks blocking HTTP, so every call runs on a worker thread and the answer
 * comes back on the request's event loop. Any failure (unreachable, 5xx, or a request Stripe
 * refuses) is 503 billing_unavailable: the caller cannot fix any of them.
 */
@ApplicationScoped
public class StripeApi {

    private static final Logger LOG = Logger.getLogger(StripeApi.class);

    /** Short: an unreachable Stripe is answered within seconds, not after the JDK's minutes. */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 10_000;
    /** One retry of what Stripe says is safe to retry (connection failures, 409, 5xx), same idempotency key. */
    static final int MAX_NETWORK_RETRIES = 1;

    /** The metadata key naming the profile on Stripe's objects. */
    static final String PROFILE_ID = "profileId";

    /** Null while billing is not configured (the client cannot be built without a key). */
    private final StripeClient client;

    public StripeApi(StripeConfig config) {
        this.client = config.configured() ? StripeClient.builder()
                .setApiKey(config.apiKey().orElseThrow())
                .setApiBase(config.apiBase())
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setReadTimeout(READ_TIMEOUT_MS)
                .setMaxNetworkRetries(MAX_NETWORK_RETRIES)
                .build() : null;
    }

    /**
     * A new customer for the profile. The idempotency key is the profile's and its address': two
     * checkouts racing for a profile without a customer get the same one from Stripe.
     */
    public Uni<String> createCustomer(String profileId, String email) {
        CustomerCreateParams params = CustomerCreateParams.builder().setEmail(email).putMetadata(PROFILE_ID, profileId)
                .build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(customerKey(profileId, email)).build();
        return call("create a customer", stripe -> {
            Customer customer = stripe.v1().customers().create(params, options);
            return customer.getId();
        });
    }

    /** A Checkout session in subscription mode for one unit of the price; answers its URL. */
    public Uni<String> checkoutSession(String profileId, String customerId, String priceId, String successUrl,
            String cancelUrl) {
        var params = com.stripe.param.checkout.SessionCreateParams.builder()
                .setMode(com.stripe.param.checkout.SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                // the webhook's checkout.session.completed links the customer to this profile by it
                .setClientReferenceId(profileId)
                .addLineItem(com.stripe.param.checkout.SessionCreateParams.LineItem.builder().setPrice(priceId)
                        .setQuantity(1L).build())
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .setSubscriptionData(com.stripe.param.checkout.SessionCreateParams.SubscriptionData.builder()
                        .putMetadata(PROFILE_ID, profileId).build())
                .build();
        return call("create a Checkout session", stripe -> stripe.v1().checkout().sessions().create(params).getUrl());
    }

    /** A Customer Portal session of the customer; answers its URL. */
    public Uni<String> portalSession(String customerId, String returnUrl) {
        var params = com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customerId)
                .setReturnUrl(returnUrl).build();
        return call("create a Customer Portal session",
                stripe -> stripe.v1().billingPortal().sessions().create(params).getUrl());
    }

    @FunctionalInterface
    interface Call<T> {
        T on(StripeClient stripe) throws StripeException;
    }

    private <T> Uni<T> call(String what, Call<T> call) {
        if (client == null) {
            return Uni.createFrom().failure(StripeWebhookResource.notConfigured());
        }
        Context context = Vertx.currentContext();
        Uni<T> blocking = Uni.createFrom().<T>item(() -> {
            try {
                return call.on(client);
            } catch (StripeException e) {
                throw unavailable(what, e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        // back on the request's own context, where the rest of its pipeline (the database) belongs
        return context == null ? blocking : blocking.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    static ApiException unavailable(String what, StripeException e) {
        boolean passing = e instanceof ApiConnectionException || e instanceof RateLimitException
                || (e.getStatusCode() != null && e.getStatusCode() >= 500);
        if (passing) {
            LOG.warnf("Stripe could not %s: %s", what, e.getMessage());
        } else {
            // a refused request (a price or customer Stripe does not know, a revoked key): the configuration's fault
            LOG.errorf("Stripe refused to %s: HTTP %s, code %s, request %s: %s", what, e.getStatusCode(), e.getCode(),
                    e.getRequestId(), e.getMessage());
        }
        return new ApiException(503, "billing_unavailable", "Stripe could not " + what + " just now; try again later.",
                Map.of());
    }

    static String customerKey(String profileId, String email) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((profileId + "\n" + email).getBytes(StandardCharsets.UTF_8));
            return "customer-" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
