package com.acme.subscription.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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

    /**
     * Waits until {@code request}, sent while the test holds a lock it needs, waits for that lock in
     * PostgreSQL; fails if it ended instead, which would mean it did not wait.
     */
    public static void untilWaitingForALock(CompletableFuture<?> request) {
        within(Duration.ofSeconds(10)).until(() -> request.isDone()
                || Database.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 1);
        if (request.isDone()) {
            throw new AssertionError("the request did not wait for the lock: " + request.join());
        }
    }

    /** Fails with the last answer seen unless the condition holds within {@code limit}. */
    public static ConditionFactory within(Duration limit) {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(INTERVAL).atMost(limit);
    }
}
