package com.acme.subscription.event;

import java.time.Instant;

/** Which events a listing shows; null: any. */
public record EventFilter(String profileId, String type, Instant since) {
}
