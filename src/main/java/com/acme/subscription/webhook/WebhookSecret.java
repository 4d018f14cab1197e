package com.acme.subscription.webhook;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of a rotation: the new secret, and until when the previous one still signs. */
@Schema(name = "WebhookSecret")
public record WebhookSecret(String secret, Instant previousSecretUntil) {
}
