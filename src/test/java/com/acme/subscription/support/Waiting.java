package com.acme.subscription.support;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waiting for something that happens asynchronously (a notification, a reconnection, a row
 * written by requests in flight) with Awaitility: asked at once, then every few milliseconds,
 * so that the waiting adds next to nothing to the time limit being checked.
 */
public final class Waiting {

    private static final Duration INTERVAL = Duration.ofMillis(5);

    private Waiting() {
    }

    /** Fails with the last answer seen unless the condition holds within {@code limit}. */
    public static ConditionFactory within(Duration limit) {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(INTERVAL).atMost(limit);
    }
}
