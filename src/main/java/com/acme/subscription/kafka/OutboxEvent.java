package com.acme.subscription.kafka;

import java.time.Instant;
import java.util.UUID;

/** One row of the outbox as the publisher reads it: {@code data} is the event's JSON, as stored. */
record OutboxEvent(long seq, UUID id, String profileId, long sequence, String type, Instant time, String data) {
}
