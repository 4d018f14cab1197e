package com.acme.subscription.support;

import static com.acme.subscription.support.ApiTest.asAdmin;

import java.util.Map;

/** Sets business settings through the API (tests share one database: set what you rely on). */
public final class Settings {

    public static final Map<String, String> SEED = Map.of("trial_duration_days", "14", "post_trial_tier", "free",
            "require_email_verification", "true", "self_registration_enabled", "true", "trial_tier", "premium",
            "invitation_ttl_days", "7", "activity_retention_days", "365", "usage_reset_zone", "UTC");

    private Settings() {
    }

    private static final Map<String, String> current = new java.util.concurrent.ConcurrentHashMap<>(SEED);

    /** Sets a setting (a no-op when this JVM's tests already set it to that value). */
    public static void set(String key, String value) {
        if (!value.equals(current.get(key))) {
            asAdmin().body(Map.of("value", value)).put("/api/v1/settings/" + key).then().statusCode(200);
            current.put(key, value);
        }
    }

    /** Puts back every setting a test changed: call it after each test that changes settings. */
    public static void restoreSeed() {
        SEED.forEach(Settings::set);
    }
}
