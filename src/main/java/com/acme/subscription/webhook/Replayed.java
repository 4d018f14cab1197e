package com.acme.subscription.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of a replay. */
@Schema(name = "WebhookReplayed")
public record Replayed(@Schema(description = "Events queued for delivery") long queued) {
}
