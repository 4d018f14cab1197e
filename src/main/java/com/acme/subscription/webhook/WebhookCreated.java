package com.acme.subscription.webhook;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /webhooks}: the endpoint with its secret, shown this once. */
@Schema(name = "WebhookWithSecret")
public record WebhookCreated(
        String id,
        String url,
        List<String> eventTypes,
        @Schema(nullable = true) String description,
        boolean active,
        @Schema(nullable = true) Instant previousSecretUntil,
        Instant created,
        Instant updated,
        @Schema(description = "whsec_ followed by the base64 of 32 random bytes; shown only now and on rotation")
        String secret) {

    static WebhookCreated of(WebhookView view, String secret) {
        return new WebhookCreated(view.id(), view.url(), view.eventTypes(), view.description(), view.active(),
                view.previousSecretUntil(), view.created(), view.updated(), secret);
    }
}
