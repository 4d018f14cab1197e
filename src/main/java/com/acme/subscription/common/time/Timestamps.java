package com.acme.subscription.common.time;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions for the reactive PostgreSQL client, which binds TIMESTAMPTZ as OffsetDateTime. */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A TIMESTAMPTZ column as read back, null stays null. */
    public static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    public static OffsetDateTime now(Clock clock) {
        return utc(clock.instant());
    }
}
