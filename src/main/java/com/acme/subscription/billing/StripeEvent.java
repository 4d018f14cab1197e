package com.acme.subscription.billing;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verified Stripe event: its id, type, creation time and {@code data.object}. The fields are read
 * by path (docs/billing.md lists them), so that a newer API version that only adds fields changes
 * nothing.
 */
record StripeEvent(String id, String type, Instant created, JsonNode object) {

    /** Seconds since 1970 that Stripe may send: up to the end of year 9999 (and what PostgreSQL keeps). */
    private static final long LATEST = 253_402_300_799L;

    /** The event, or null when its creation time is not one (Stripe sends Unix seconds). */
    static StripeEvent of(JsonNode event) {
        Instant created = instant(event.get("created"));
        return created == null ? null
                : new StripeEvent(event.path("id").asText(), event.path("type").asText(), created,
                        event.path("data").path("object"));
    }

    /** An id field that Stripe sends as the id or, expanded, as the object. */
    static String id(JsonNode field) {
        if (field == null || field.isMissingNode() || field.isNull()) {
            return null;
        }
        return field.isObject() ? field.path("id").asText(null) : field.asText(null);
    }

    /** A time in Unix seconds; null when absent or not a time. */
    static Instant instant(JsonNode seconds) {
        if (seconds == null || !seconds.canConvertToLong() || !seconds.isIntegralNumber()) {
            return null;
        }
        long value = seconds.asLong();
        return value < 0 || value > LATEST ? null : Instant.ofEpochSecond(value);
    }
}
