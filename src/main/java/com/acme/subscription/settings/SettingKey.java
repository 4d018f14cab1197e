package com.acme.subscription.settings;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The settings (docs/settings.md) and the rule each value must follow. */
public enum SettingKey {
    TRIAL_DURATION_DAYS(Kind.INTEGER, 0, 365),
    POST_TRIAL_TIER(Kind.TIER_OR_DISABLED, 0, 0),
    REQUIRE_EMAIL_VERIFICATION(Kind.BOOLEAN, 0, 0),
    SELF_REGISTRATION_ENABLED(Kind.BOOLEAN, 0, 0),
    TRIAL_TIER(Kind.TIER, 0, 0),
    INVITATION_TTL_DAYS(Kind.INTEGER, 1, 90),
    ACTIVITY_RETENTION_DAYS(Kind.INTEGER, 1, 3650),
    USAGE_RESET_ZONE(Kind.ZONE, 0, 0);

    enum Kind {
        INTEGER, BOOLEAN, TIER, TIER_OR_DISABLED, ZONE
    }

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private final Kind kind;
    private final int min;
    private final int max;

    SettingKey(Kind kind, int min, int max) {
        this.kind = kind;
        this.min = min;
        this.max = max;
    }

    public String key() {
        return name().toLowerCase();
    }

    public static Optional<SettingKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }

    /** Whether the value names a tier that must exist (and stay, while the setting names it). */
    public boolean namesTier(String value) {
        return kind == Kind.TIER || (kind == Kind.TIER_OR_DISABLED && !"disabled".equals(value));
    }

    /** Why the value is not acceptable, or empty if it is (tier existence is checked in the database). */
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
            case ZONE -> ZONES.contains(value) || "UTC".equals(value)
                    ? Optional.empty()
                    : Optional.of("must be an IANA time zone such as Europe/Berlin");
        };
    }

    private boolean inRange(int value) {
        return value >= min && value <= max;
    }
}
