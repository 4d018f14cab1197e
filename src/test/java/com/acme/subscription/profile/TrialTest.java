package com.acme.subscription.profile;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** The trial runs on the service's clock: tests move it instead of waiting. */
@QuarkusTest
class TrialTest {

    @Inject
    MutableClock clock;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    @Test
    void aNewProfileIsOnTheTrialTierUntilTrialEndsAtThenOnItsBaseTier() {
        Settings.set("require_email_verification", "false");
        Instant registered = Instant.parse("2026-03-10T08:00:00Z");
        clock.set(registered);
        String id = Profiles.register();
        Instant trialEnds = registered.plus(Duration.ofDays(14));
        as(TestTokens.service()).get("/api/v1/profiles/" + id).then().body("trialEndsAt", equalTo(trialEnds.toString()));
        String entitlements = "/api/v1/profiles/" + id + "/entitlements";
        as(TestTokens.service()).get(entitlements).then()
                .body("tier.id", equalTo("premium")).body("tier.source", equalTo("grant"))
                .body("tier.grantedBy", equalTo("trial")).body("tier.validUntil", equalTo(trialEnds.toString()))
                .body("baseTier", equalTo("free"))
                .body("features.find { it.featureId == 'ai_calls' }.unlimited", equalTo(true));

        clock.set(trialEnds.minusSeconds(1));
        as(TestTokens.service()).get(entitlements).then().body("tier.id", equalTo("premium"));

        clock.set(trialEnds);
        as(TestTokens.service()).get(entitlements).then()
                .body("tier.id", equalTo("free")).body("tier.source", equalTo("base"))
                .body("features.find { it.featureId == 'ai_calls' }.reason", equalTo("feature_disabled"));
    }

    @Test
    void withVerificationRequiredTheTrialRunsFromVerification() {
        clock.set(Instant.parse("2026-05-01T10:00:00Z"));
        String id = Profiles.register();
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos").then()
                .body("reason", equalTo("email_not_verified"));

        Instant verified = Instant.parse("2026-05-03T12:30:00Z");
        clock.set(verified);
        asAdmin().body(Map.of("emailVerified", true)).patch("/api/v1/profiles/" + id).then().statusCode(200)
                .body("trialEndsAt", equalTo(verified.plus(Duration.ofDays(14)).toString()));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos").then()
                .body("allowed", equalTo(true)).body("unlimited", equalTo(true));
    }

    @Test
    void aZeroDayTrialIsNoTrialAndADisabledBaseTierDeniesEverythingAfterwards() {
        Settings.set("require_email_verification", "false");
        Settings.set("post_trial_tier", "disabled");
        clock.set(Instant.parse("2026-06-01T00:00:00Z"));
        String id = Profiles.register();
        clock.advance(Duration.ofDays(15));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then()
                .body("tier.id", equalTo("disabled")).body("tier.source", equalTo("base"))
                .body("features.every { it.reason == 'access_disabled' }", equalTo(true));

        Settings.set("trial_duration_days", "0");
        String noTrial = Profiles.register();
        as(TestTokens.service()).get("/api/v1/profiles/" + noTrial).then().body("trialEndsAt", equalTo(null));
    }
}
