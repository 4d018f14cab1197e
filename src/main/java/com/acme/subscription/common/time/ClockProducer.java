package com.acme.subscription.common.time;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The one source of "now"; tests replace it with a clock they move. It ticks in microseconds, the
 * precision PostgreSQL stores: an instant the service answers with (a coupon's {@code created})
 * is the one a later read of it gives back.
 */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
