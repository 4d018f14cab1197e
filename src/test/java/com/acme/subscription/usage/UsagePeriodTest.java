package com.acme.subscription.usage;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** Daily and monthly counters: periods in the zone of usage_reset_zone, read as 0 once past resetAt. */
@QuarkusTest
class UsagePeriodTest {

    @Inject
    MutableClock clock;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    static String check(String id, String feature) {
        return "/api/v1/profiles/" + id + "/entitlements/" + feature;
    }

    static String consume(String id, String feature) {
        return "/api/v1/profiles/" + id + "/usage/" + feature + "/consume";
    }

    @Test
    void aMonthlyCounterReadsZeroPastResetAtBeforeAnyJobRuns() {
        clock.set(Instant.parse("2026-01-31T23:30:00Z"));
        String id = Profiles.onTier("basic");
        as(TestTokens.service()).body(Map.of("amount", 3)).post(consume(id, "ai_calls")).then().statusCode(200)
                .body("used", equalTo(3)).body("allowed", equalTo(false))
                .body("resetAt", equalTo("2026-02-01T00:00:00Z"));

        clock.set(Instant.parse("2026-02-01T00:00:00Z"));
        as(TestTokens.service()).get(check(id, "ai_calls")).then().statusCode(200)
                .body("used", equalTo(0)).body("remaining", equalTo(3)).body("allowed", equalTo(true))
                .body("resetAt", equalTo("2026-03-01T00:00:00Z"));
        // nothing was written: the read alone knows the period ended
        assertEquals(3L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'ai_calls'", id));

        // a consume rolls the counter into the new period in the same statement
        as(TestTokens.service()).post(consume(id, "ai_calls")).then().statusCode(200)
                .body("used", equalTo(1)).body("resetAt", equalTo("2026-03-01T00:00:00Z"));
        assertEquals(1L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'ai_calls'", id));
    }

    @Test
    void periodsFollowTheResetZone() {
        Settings.set("usage_reset_zone", "Europe/Berlin");
        clock.set(Instant.parse("2026-01-31T22:30:00Z")); // 23:30 in Berlin
        String id = Profiles.onTier("basic");
        as(TestTokens.service()).post(consume(id, "ai_calls")).then().statusCode(200)
                .body("resetAt", equalTo("2026-01-31T23:00:00Z"));
        clock.set(Instant.parse("2026-01-31T23:00:00Z")); // February 1st in Berlin
        as(TestTokens.service()).get(check(id, "ai_calls")).then()
                .body("used", equalTo(0)).body("resetAt", equalTo("2026-02-28T23:00:00Z"));
    }

    @Test
    void aDailyPeriodLasts23HoursOnTheDayDaylightSavingStarts() {
        Settings.set("usage_reset_zone", "Europe/Berlin");
        asAdmin().body(Map.of("name", "Daily", "resetPeriod", "daily", "defaultLimit", 2)).put("/api/v1/features/daily_f1")
                .then().statusCode(201);
        try {
            clock.set(Instant.parse("2026-03-28T12:00:00Z"));
            String id = Profiles.onTier("free");
            as(TestTokens.service()).body(Map.of("amount", 2)).post(consume(id, "daily_f1")).then().statusCode(200)
                    .body("resetAt", equalTo("2026-03-28T23:00:00Z"));
            // March 29th in Berlin starts at 23:00Z (CET) and ends at 22:00Z (CEST): 23 hours
            clock.set(Instant.parse("2026-03-28T23:00:00Z"));
            as(TestTokens.service()).body(Map.of("amount", 2)).post(consume(id, "daily_f1")).then().statusCode(200)
                    .body("used", equalTo(2)).body("resetAt", equalTo("2026-03-29T22:00:00Z"));
            clock.set(Instant.parse("2026-03-29T21:59:59Z"));
            as(TestTokens.service()).get(check(id, "daily_f1")).then().body("used", equalTo(2))
                    .body("allowed", equalTo(false));
            clock.set(Instant.parse("2026-03-29T22:00:00Z"));
            as(TestTokens.service()).get(check(id, "daily_f1")).then().body("used", equalTo(0))
                    .body("resetAt", equalTo("2026-03-30T22:00:00Z"));
        } finally {
            Database.update("DELETE FROM user_feature_usage WHERE feature_id = 'daily_f1'");
            asAdmin().delete("/api/v1/features/daily_f1").then().statusCode(204);
        }
    }

    @Test
    void aNeverResettingCounterHasNoResetAt() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).post(consume(id, "photos")).then().statusCode(200)
                .body("resetPeriod", equalTo("never")).body("resetAt", equalTo(null));
    }
}
