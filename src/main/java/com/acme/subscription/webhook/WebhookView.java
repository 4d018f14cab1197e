package com.acme.subscription.webhook;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook endpoint as the API shows it: never its secret. */
@Schema(name = "Webhook")
public record WebhookView(
        String id,
        String url,
        @Schema(description = "Empty: every type") List<String> eventTypes,
        @Schema(nullable = true) String description,
        boolean active,
        @Schema(nullable = true, description = "Until then the previous secret signs beside the current one")
        Instant previousSecretUntil,
        Instant created,
        Instant updated) {
}
