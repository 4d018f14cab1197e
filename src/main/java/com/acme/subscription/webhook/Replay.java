package com.acme.subscription.webhook;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /webhooks/{webhookId}/replay}. */
@Schema(name = "WebhookReplay")
public record Replay(@Schema(description = "Events from this time on are sent again") @NotNull Instant since) {
}
