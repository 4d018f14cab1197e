package com.acme.subscription.settings;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings (docs/settings.md): the rule each value must follow, and the value that applies
 * while a setting has no row (the installation seeds every row; these keep the service safe
 * without one). Java reads them with {@link #valueIn}, SQL with {@link #sql()}: one fallback each.
 */
public enum SettingKey {
    TRIAL_DURATION_DAYS(Kind.INTEGER, 0, 365, "0"),
    POST_TRIAL_TIER(Kind.TIER_OR_DISABLED, 0, 0, "free"),
    REQUIRE_EMAIL_VERIFICATION(Kind.BOOLEAN, 0, 0, "true"),
    SELF_REGISTRATION_ENABLED(Kind.BOOLEAN, 0, 0, "false"),
    /** Without a row there is no trial. */
    TRIAL_TIER(Kind.TIER, 0, 0, null),
    INVITATION_TTL_DAYS(Kind.INTEGER, 1, 90, "7"),
    ACTIVITY_RETENTION_DAYS(Kind.INTEGER, 1, 3650, "365"),
    USAGE_RESET_ZONE(Kind.ZONE, 0, 0, "UTC"),
    /** grant.expiring this many days before a grant ends; 0: never. */
    GRANT_EXPIRING_NOTICE_DAYS(Kind.INTEGER, 0, 365, "3"),
    /** usage.threshold_reached at these percentages of a limit; empty: never. */
    USAGE_ALERT_THRESHOLDS(Kind.PERCENTAGES, 1, 100, "80,100"),
    EVENT_RETENTION_DAYS(Kind.INTEGER, 1, 3650, "30"),
    /** A paid subscription's grant runs this many days past the end of its paid period. */
    BILLING_GRACE_DAYS(Kind.INTEGER, 0, 60, "3");

    enum Kind {
        INTEGER, BOOLEAN, TIER, TIER_OR_DISABLED, ZONE, PERCENTAGES
    }

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private final Kind kind;
    private final int min;
    private final int max;
    private final String fallback;

    SettingKey(Kind kind, int min, int max, String fallback) {
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.fallback = fallback;
    }

    public String key() {
        return name().toLowerCase();
    }

    /** The value in {@code values} (key to value, as stored), or the fallback when it has none. */
    public String valueIn(Map<String, String> values) {
        return values.getOrDefault(key(), fallback);
    }

    /** The rows of these settings, for {@code SELECT <sql()> ... FROM <rows(...)>}. */
    public static String rows(SettingKey... keys) {
        return "app_settings WHERE key IN (" + Arrays.stream(keys).map(key -> "'" + key.key() + "'")
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * The value as an SQL expression over rows of app_settings ({@code value}, {@code key}) that a
     * statement aggregates: {@code SELECT <sql()> ... FROM app_settings}.
     */
    public String sql() {
        String value = "max(value) FILTER (WHERE key = '" + key() + "')";
        return fallback == null ? value : "coalesce(" + value + ", '" + fallback + "')";
    }

    public static Optional<SettingKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }

    /** Why the value is not acceptable, or empty if it is (a named tier's existence is the database's foreign key). */
    public Optional<String> problemWith(String value) {
        return switch (kind) {
            case INTEGER -> value.matches("0|[1-9][0-9]{0,8}") && inRange(Integer.parseInt(value))
                    ? Optional.empty()
                    : Optional.of("must be a whole number from " + min + " to " + max);
            case BOOLEAN -> "true".equals(value) || "false".equals(value)
                    ? Optional.empty()
                    : Optional.of("must be \"true\" or \"false\"");
            case TIER, TIER_OR_DISABLED -> value.matches("[a-z][a-z0-9_]{0,63}")
                    ? Optional.empty()
                    : Optional.of(kind == Kind.TIER ? "must be a tier id" : "must be a tier id or \"disabled\"");
            case PERCENTAGES -> value.isEmpty() || value.matches("(0|[1-9][0-9]{0,2})(,(0|[1-9][0-9]{0,2}))*")
                    && Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).allMatch(this::inRange)
                    ? Optional.empty()
                    : Optional.of("must be percentages from " + min + " to " + max + " separated by commas, or empty");
            case ZONE -> ZONES.contains(value) || "UTC".equals(value)
                    ? Optional.empty()
                    : Optional.of("must be an IANA time zone such as Europe/Berlin");
        };
    }

    private boolean inRange(int value) {
        return value >= min && value <= max;
    }
}
