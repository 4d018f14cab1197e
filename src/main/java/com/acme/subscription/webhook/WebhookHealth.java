package com.acme.subscription.webhook;

import java.time.Instant;

/** How delivery to one endpoint stands: events waiting, events given up on, and the oldest one waiting. */
public record WebhookHealth(String id, String url, boolean active, long pending, long failed, Instant oldestPending) {
}
