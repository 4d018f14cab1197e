package com.acme.subscription.billing;

import static com.acme.subscription.support.ApiTest.anonymous;

import java.time.Instant;
import java.util.UUID;

import com.stripe.net.Webhook;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Stripe's side of the tests: events shaped as Stripe sends them in the API version stripe-java
 * 31 pins (2025-11-17.clover; the objects follow stripe/openapi's fixtures3.json), signed the way
 * Stripe signs them: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, keyed with the
 * webhook secret as written.
 */
final class Stripe {

    static final String SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldA";

    private Stripe() {
    }

    static String event(String type, Instant created, String object) {
        return """
                {"id": "evt_%s", "object": "event", "api_version": "2025-11-17.clover", "created": %d,
                 "livemode": false, "pending_webhooks": 1, "type": "%s",
                 "request": {"id": null, "idempotency_key": null},
                 "data": {"object": %s}}""".formatted(UUID.randomUUID().toString().replace("-", ""),
                created.getEpochSecond(), type, object);
    }

    static String checkout(String profileId, String customer, String subscription) {
        return """
                {"id": "cs_test_%s", "object": "checkout.session", "mode": "subscription", "status": "complete",
                 "payment_status": "paid", "client_reference_id": "%s", "customer": "%s", "subscription": "%s",
                 "customer_details": {"email": "someone@example.com"}, "metadata": {}, "url": null}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""), profileId, customer, subscription);
    }

    static String subscription(String id, String customer, String status, String price, String interval,
            Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd) {
        return """
                {"id": "%1$s", "object": "subscription", "customer": "%2$s", "status": "%3$s",
                 "cancel_at_period_end": %8$s, "cancel_at": null, "canceled_at": null, "ended_at": null,
                 "metadata": {}, "latest_invoice": "in_x",
                 "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=%1$s",
                  "data": [{"id": "si_%1$s", "object": "subscription_item", "subscription": "%1$s", "quantity": 1,
                   "current_period_start": %6$d, "current_period_end": %7$d, "metadata": {},
                   "price": {"id": "%4$s", "object": "price", "product": "prod_x", "type": "recurring",
                    "unit_amount": 2000, "currency": "eur",
                    "recurring": {"interval": "%5$s", "interval_count": 1, "usage_type": "licensed"}}}]}}"""
                .formatted(id, customer, status, price, interval, periodStart.getEpochSecond(),
                        periodEnd.getEpochSecond(), cancelAtPeriodEnd);
    }

    static String invoice(String subscription, String customer, String status, String reason, Instant periodStart,
            Instant periodEnd) {
        return """
                {"id": "in_%1$s", "object": "invoice", "customer": "%3$s", "status": "%4$s", "billing_reason": "%5$s",
                 "amount_due": 2000, "amount_paid": %8$d, "currency": "eur", "period_start": %6$d, "period_end": %6$d,
                 "parent": {"type": "subscription_details", "quote_details": null,
                  "subscription_details": {"metadata": {}, "subscription": "%2$s"}},
                 "lines": {"object": "list", "has_more": false, "url": "/v1/invoices/in_%1$s/lines",
                  "data": [{"id": "il_%1$s", "object": "line_item", "invoice": "in_%1$s", "amount": 2000,
                   "currency": "eur", "quantity": 1, "period": {"start": %6$d, "end": %7$d},
                   "pricing": {"type": "price_details", "price_details": {"price": "price_x", "product": "prod_x"}},
                   "parent": {"type": "subscription_item_details", "invoice_item_details": null,
                    "subscription_item_details": {"subscription": "%2$s", "subscription_item": "si_%2$s",
                     "proration": false, "invoice_item": null}}}]}}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""), subscription, customer, status, reason,
                        periodStart.getEpochSecond(), periodEnd.getEpochSecond(), "paid".equals(status) ? 2000 : 0);
    }

    /** The Stripe-Signature header of a body signed at {@code at} with {@code secret}. */
    static String signature(String body, Instant at, String secret) throws Exception {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256(secret, t + "." + body);
    }

    /** Posts a body signed now (by the service's clock {@code at}) with the test secret. */
    static ValidatableResponse send(String body, Instant at) {
        try {
            return anonymous().contentType(ContentType.JSON).header("Stripe-Signature", signature(body, at, SECRET))
                    .body(body).post("/api/v1/billing/stripe/webhook").then();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
