package com.acme.subscription.billing;

import java.time.Clock;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.error.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;

import io.smallrye.mutiny.Uni;

/**
 * Stripe's webhook (docs/billing.md): no bearer token, the Stripe-Signature header instead,
 * checked with Stripe's own code before anything of the body is read.
 */
@Path(ApiPaths.V1 + "/billing/stripe/webhook")
@Tag(name = "billing")
public class StripeWebhookResource {

    /** Seconds a signature stays valid: Stripe's default tolerance. */
    static final long TOLERANCE_SECONDS = Webhook.DEFAULT_TOLERANCE;

    private final StripeConfig config;
    private final BillingService billing;
    private final ObjectMapper json;
    private final Clock clock;

    public StripeWebhookResource(StripeConfig config, BillingService billing, ObjectMapper json, Clock clock) {
        this.config = config;
        this.billing = billing;
        this.json = json;
        this.clock = clock;
    }

    /** What the webhook answers Stripe. */
    @Schema(name = "StripeWebhookReceived")
    public record Received(@Schema(description = "False: a redelivery or a type the service does not act on") boolean applied) {
    }

    @POST
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Operation(operationId = "receiveStripeWebhook", summary = "Stripe's events about subscriptions, invoices and checkouts",
            description = "Signed by Stripe (Stripe-Signature). Each event id takes effect once; an event older than the "
                    + "state already kept changes nothing; other types are acknowledged.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "Received", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Received.class)))
    @APIResponse(responseCode = "400", description = "invalid_signature")
    @APIResponse(responseCode = "404", description = "billing_not_configured")
    // open, but it writes: without the database Stripe gets a 503 and delivers the event again
    @APIResponse(responseCode = "503", description = "unavailable: the database is unreachable; Stripe delivers the event again")
    public Uni<Received> receive(@HeaderParam("Stripe-Signature") String signature, String payload) {
        if (!config.configured()) {
            return Uni.createFrom().failure(notConfigured());
        }
        try {
            if (signature == null || payload == null) {
                throw new SignatureVerificationException("No Stripe-Signature header", signature);
            }
            Webhook.Signature.verifyHeader(payload, signature, config.webhookSecret().orElseThrow(), TOLERANCE_SECONDS,
                    clock);
            // Stripe's check refuses a signature too old; the tolerance holds the other way too
            if (signedAt(signature) > clock.instant().getEpochSecond() + TOLERANCE_SECONDS) {
                throw new SignatureVerificationException("Signed in the future", signature);
            }
        } catch (SignatureVerificationException | RuntimeException e) {
            return Uni.createFrom().failure(new ApiException(400, "invalid_signature",
                    "The Stripe-Signature header does not match this body and the webhook secret, or its time is more "
                            + "than " + TOLERANCE_SECONDS + " s away from now."));
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(ApiException.invalid("body", "not a JSON event"));
        }
        if (!event.isObject() || !event.path("id").isTextual() || !event.path("type").isTextual()) {
            return Uni.createFrom().failure(ApiException.invalid("body", "not a Stripe event: id and type are needed"));
        }
        StripeEvent stripeEvent = StripeEvent.of(event);
        if (stripeEvent == null) {
            return Uni.createFrom().failure(ApiException.invalid("created", "not a time in Unix seconds"));
        }
        return billing.apply(stripeEvent).map(Received::new);
    }

    /** The t= of a Stripe-Signature header that Stripe's check accepted. */
    private static long signedAt(String signature) {
        for (String part : signature.split(",")) {
            if (part.startsWith("t=")) {
                return Long.parseLong(part.substring(2).trim());
            }
        }
        throw new IllegalArgumentException("No timestamp in the Stripe-Signature header");
    }

    static ApiException notConfigured() {
        return new ApiException(404, "billing_not_configured", "Billing is not configured: STRIPE_API_KEY and "
                + "STRIPE_WEBHOOK_SECRET are not set.", Map.of());
    }
}
