package com.acme.subscription.common.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The one source of "now"; tests replace it with a clock they move. It keeps whole microseconds,
 * the precision PostgreSQL stores: an instant the service answers with (a coupon's {@code created})
 * is the one a later read of it gives back.
 */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return new Microseconds(Clock.systemUTC());
    }

    /**
     * A clock in whole microseconds. Not {@code Clock.tick(clock, 1 us)}: on Java 17 its millis()
     * divides by the tick's whole milliseconds, zero, and Stripe's signature check calls millis().
     */
    static final class Microseconds extends Clock {

        private final Clock base;

        Microseconds(Clock base) {
            this.base = base;
        }

        @Override
        public Instant instant() {
            return Timestamps.kept(base.instant());
        }

        @Override
        public long millis() {
            return base.millis();
        }

        @Override
        public ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new Microseconds(base.withZone(zone));
        }
    }
}
