package com.acme.subscription.webhook;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The published shape of {@code PATCH /webhooks/{webhookId}}. The service reads the body as a
 * JSON object, because an absent field (unchanged) and a null one (cleared) differ.
 */
@Schema(name = "WebhookPatch", description = "Only the fields given change; any other field is a 400.")
public record WebhookPatch(
        String url,
        @Schema(description = "Empty: every type") List<String> eventTypes,
        @Schema(nullable = true) String description,
        @Schema(description = "false: nothing is sent, and new events are not queued for it") Boolean active) {
}
