package com.acme.subscription.activity;

import java.time.Instant;

/** Which activity entries a page shows; null means any. */
public record ActivityFilter(String profileId, String action, Instant since, Instant until) {
}
