package com.acme.subscription.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The service's clock keeps what PostgreSQL keeps: whole microseconds. */
class ClockProducerTest {

    @Test
    void nowIsInWholeMicroseconds() {
        Clock clock = new ClockProducer().clock();
        for (int i = 0; i < 100; i++) {
            Instant now = clock.instant();
            assertEquals(0, now.getNano() % 1_000, now::toString);
        }
    }

    /** What libraries ask of a clock works too (Stripe's signature check asks for millis()). */
    @Test
    void itAnswersInMillisecondsToo() {
        Clock clock = new ClockProducer().clock();
        long before = System.currentTimeMillis();
        long millis = clock.millis();
        assertTrue(millis >= before && millis <= System.currentTimeMillis(), () -> before + " " + millis);
    }
}
