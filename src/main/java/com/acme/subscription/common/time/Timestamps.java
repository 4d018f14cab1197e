package com.acme.subscription.common.time;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Instants as the API reads them, and conversions for the reactive PostgreSQL client, which binds
 * TIMESTAMPTZ as OffsetDateTime.
 */
public final class Timestamps {

    /**
     * The instants a request may carry: RFC 3339's years 0000 to 9999, what a date-time of the
     * OpenAPI document allows. Java reads far more (years of up to nine digits, signed); PostgreSQL
     * stores less, and the client writes an instant before 4713 BC as -infinity.
     */
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The last instant the service keeps and writes: {@link #LAST} to the microsecond. */
    public static final Instant LAST_KEPT = LAST.truncatedTo(ChronoUnit.MICROS);

    /** What a request's timestamp must be, in the words of a 400. */
    public static final String EXPECTED = "must be an ISO-8601 timestamp such as 2026-11-25T17:00:00Z, in the years 0000 to 9999";

    private Timestamps() {
    }

    /**
     * An instant of a request ({@link #kept}), or a DateTimeParseException when it is not one or lies
     * outside the years 0000 to 9999.
     */
    public static Instant parse(String text) {
        Instant instant = Instant.parse(text);
        if (!inRange(instant)) {
            throw new DateTimeParseException("outside the years 0000 to 9999", text, 0);
        }
        return kept(instant);
    }

    /**
     * An instant of a request as the service keeps it: to the microsecond, as PostgreSQL stores it.
     * Finer fractions are cut off, so that what a request is checked with (validFrom before
     * validUntil) is what is stored.
     */
    public static Instant kept(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The instant, or the last one the service keeps and writes if it is later (9999-12-31T23:59:59.999999Z,
     * as the SQL of a resumed grant's end caps it): for an end computed by adding time to another.
     */
    public static Instant atMostLast(Instant instant) {
        return instant.isAfter(LAST_KEPT) ? LAST_KEPT : instant;
    }

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(FIRST) && !instant.isAfter(LAST);
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
