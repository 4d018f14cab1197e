package com.acme.subscription.webhook;

import java.time.Duration;
import java.util.List;

/** The waits after a failed attempt: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then every 3 h. */
final class RetrySchedule {

    static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3));

    private RetrySchedule() {
    }

    /** The wait after the {@code attempt}th attempt (1 = the first) failed. */
    static Duration after(int attempt) {
        return DELAYS.get(Math.max(0, Math.min(attempt, DELAYS.size()) - 1));
    }
}
