package com.acme.subscription.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateExtension;

/** Times as the console shows them: UTC to the minute, the same for every reader of the page. */
public final class Format {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    /** {@code {fmt:when(grant.validUntil)}} in templates; a dash for none. */
    @TemplateExtension(namespace = "fmt")
    public static String when(Instant instant) {
        return instant == null ? "\u2014" : WHEN.format(instant);
    }

    /** {@code {fmt:lower(coupon.code)}}: a code as an element id, which the browser tests look up in lower case. */
    @TemplateExtension(namespace = "fmt")
    public static String lower(String text) {
        return text == null ? "" : text.toLowerCase(java.util.Locale.ROOT);
    }

    /** One value of an activity entry's details: text as text, anything else as JSON. */
    @TemplateExtension(namespace = "fmt")
    public static String detail(JsonNode value) {
        return value == null || value.isNull() ? "\u2014" : value.isValueNode() ? value.asText() : value.toString();
    }

    static String days(long seconds) {
        long days = Duration.ofSeconds(seconds).toDays();
        long hours = Duration.ofSeconds(seconds).minusDays(days).toHours();
        return days > 0 ? days + " d " + hours + " h" : hours + " h";
    }
}
