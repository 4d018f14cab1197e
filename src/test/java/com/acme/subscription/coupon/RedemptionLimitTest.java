package com.acme.subscription.coupon;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Parallel;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** More than 10 failed redemptions within 15 minutes: 429 with Retry-After, counted in PostgreSQL. */
@QuarkusTest
class RedemptionLimitTest {

    @Inject
    MutableClock clock;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    static io.restassured.response.Response redeem(String profile, String code) {
        return as(TestTokens.user(profile)).body(Map.of("code", code)).post("/api/v1/profiles/" + profile + "/redemptions");
    }

    @Test
    void theEleventhAttemptWithin15MinutesIs429UntilTheOldestFailureLeavesTheWindow() {
        Instant t0 = Instant.parse("2026-07-01T10:00:00Z");
        clock.set(t0);
        String profile = Profiles.onTier("free");
        String valid = Coupons.create("period", "basic", 5, null);
        for (int i = 0; i < 10; i++) {
            clock.set(t0.plusSeconds(10L * i));
            redeem(profile, "WRONG-" + i).then().statusCode(404);
        }
        clock.set(t0.plusSeconds(100));
        redeem(profile, valid).then().statusCode(429).body("code", equalTo("too_many_attempts"))
                .header("Retry-After", "800");
        redeem(profile, "WRONG-again").then().statusCode(429);
        // 429s do not count
        assertEquals(10L, Database.count("SELECT count(*) FROM redemption_failures WHERE profile_id = ?", profile));
        // the count lives in PostgreSQL: any replica sees it
        assertEquals(0L, Database.count("SELECT count(*) FROM coupon_redemptions WHERE profile_id = ?", profile));

        clock.set(t0.plus(Duration.ofMinutes(15)).minusSeconds(1));
        redeem(profile, valid).then().statusCode(429).header("Retry-After", "1");
        clock.set(t0.plus(Duration.ofMinutes(15)));
        redeem(profile, valid).then().statusCode(201);
    }

    /**
     * Attempts sent at once are counted one after the other: of thirty wrong codes, ten are
     * checked (404) and twenty refused (429), as if they had been sent one by one.
     */
    @Test
    void attemptsSentAtOnceAreCountedOneAfterTheOther() throws Exception {
        clock.set(Instant.parse("2026-07-04T10:00:00Z"));
        String profile = Profiles.onTier("free");
        List<Parallel.Call> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(new Parallel.Call(TestTokens.user(profile), "/api/v1/profiles/" + profile + "/redemptions",
                    "{\"code\": \"GUESS-" + i + "\"}"));
        }
        Map<Integer, Long> byStatus = Parallel.post(calls).stream()
                .collect(Collectors.groupingBy(Parallel.Result::status, Collectors.counting()));
        assertEquals(Map.of(404, 10L, 429, 20L), byStatus);
        assertEquals(10L, Database.count("SELECT count(*) FROM redemption_failures WHERE profile_id = ?", profile));
    }

    /** A failed attempt is recorded, and nothing else of its transaction stays: not even the settle it began with. */
    @Test
    void aFailedAttemptIsRecordedAndChangesNothingElse() {
        Instant t0 = Instant.parse("2026-07-05T10:00:00Z");
        clock.set(t0);
        String profile = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", 1)).post("/api/v1/profiles/" + profile + "/grants").then()
                .statusCode(201);
        clock.set(t0.plus(Duration.ofDays(2)));
        redeem(profile, "WRONG").then().statusCode(404).body("code", equalTo("coupon_not_found"));
        assertEquals(1L, Database.count("SELECT count(*) FROM redemption_failures WHERE profile_id = ?", profile));
        // the grant that ran out is still the job's to expire: the refusal wrote no expiry
        assertEquals(1L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ? AND is_active", profile));
    }

    /** A retry of an answered redemption gets its answer again, even once the profile is over the limit. */
    @Test
    void aRetryWithItsKeyIsAnsweredAgainWhileOverTheLimit() {
        clock.set(Instant.parse("2026-07-03T10:00:00Z"));
        String profile = Profiles.onTier("free");
        String valid = Coupons.create("period", "basic", 5, null);
        as(TestTokens.user(profile)).header("Idempotency-Key", "k1").body(Map.of("code", valid))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201);
        for (int i = 0; i < 10; i++) {
            redeem(profile, "WRONG-" + i).then().statusCode(404);
        }
        redeem(profile, "WRONG-again").then().statusCode(429);
        as(TestTokens.user(profile)).header("Idempotency-Key", "k1").body(Map.of("code", valid))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201)
                .header("Idempotent-Replayed", "true");
        // a new key is a new attempt: over the limit, answered as without a key (Retry-After too)
        as(TestTokens.user(profile)).header("Idempotency-Key", "k2").body(Map.of("code", valid))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(429)
                .body("code", equalTo("too_many_attempts")).body("retryAfter", equalTo(900))
                .header("Retry-After", "900");
    }

    @Test
    void everyKindOfRefusalCountsAndOtherProfilesAreNotAffected() {
        clock.set(Instant.parse("2026-07-02T10:00:00Z"));
        String profile = Profiles.onTier("free");
        String redeemed = Coupons.create("period", "basic", 5, null);
        redeem(profile, redeemed).then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            redeem(profile, redeemed).then().statusCode(409);
        }
        String exhausted = Coupons.create("single_use", "basic", null, null);
        redeem(Profiles.onTier("free"), exhausted).then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            redeem(profile, exhausted).then().statusCode(410);
        }
        redeem(profile, "ANY").then().statusCode(429);
        redeem(Profiles.onTier("free"), "ANY").then().statusCode(404);
    }
}
