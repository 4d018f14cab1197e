package com.acme.subscription.billing;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verified Stripe event: its id, type, creation time and {@code data.object}. The fields are read
 * by path (docs/billing.md lists them), so that a newer API version that only adds fields changes
 * nothing.
 */
record StripeEvent(String id, String type, Instant created, JsonNode object) {

    static StripeEvent of(JsonNode event) {
        return new StripeEvent(event.path("id").asText(), event.path("type").asText(),
                Instant.ofEpochSecond(event.path("created").asLong()), event.path("data").path("object"));
    }

    /** An id field that Stripe sends as the id or, expanded, as the object. */
    static String id(JsonNode field) {
        if (field == null || field.isMissingNode() || field.isNull()) {
            return null;
        }
        return field.isObject() ? field.path("id").asText(null) : field.asText(null);
    }

    static Instant instant(JsonNode seconds) {
        return seconds == null || !seconds.isNumber() ? null : Instant.ofEpochSecond(seconds.asLong());
    }
}
