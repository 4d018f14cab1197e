package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.response.ValidatableResponse;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The limit a check resolved, kept on the counter row (docs/entitlements.md, "How a check is
 * answered"): the next check reads it by key, and any change it was resolved from (the catalog,
 * the settings, the profile's tier) makes the next check resolve again, never answer from it.
 */
@QuarkusTest
class ResolvedLimitTest {

    @Inject
    MeterRegistry registry;

    String feature;
    String profile;

    @BeforeEach
    void featureAndProfile() {
        feature = "kept_" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().body(Map.of("name", "Kept", "category", "data", "limitType", "count", "defaultLimit", 7))
                .put("/api/v1/features/" + feature).then().statusCode(201);
        asAdmin().body(Map.of("limit", 3)).put("/api/v1/tiers/free/limits/" + feature).then().statusCode(201);
        profile = Profiles.onTier("free");
    }

    @AfterEach
    void restore() {
        Settings.restoreSeed();
        // other tests see the seed's features only
        Database.update("DELETE FROM user_feature_restrictions WHERE feature_id = ?", feature);
        Database.update("DELETE FROM user_feature_usage WHERE feature_id = ?", feature);
        Database.update("DELETE FROM tier_limits WHERE feature_id = ?", feature);
        Database.update("DELETE FROM features WHERE id = ?", feature);
    }

    @Test
    void theSecondCheckReadsTheKeptLimitByKey() {
        double resolved = resolved();
        check().body("limit", equalTo(3)).body("limitSource", equalTo("tier")).body("used", equalTo(0));
        assertEquals(resolved + 1, resolved(), "nothing kept yet");
        assertEquals(Map.of("usage_count", 0, "resolved_tier", "free", "resolved_limit", 3, "resolved_limit_source", "tier"),
                Database.query("""
                        SELECT usage_count, resolved_tier, resolved_limit, resolved_limit_source FROM user_feature_usage
                        WHERE profile_id = ? AND feature_id = ?""", profile, feature).get(0));

        check().body("limit", equalTo(3)).body("limitSource", equalTo("tier"));
        consume(2);
        check().body("used", equalTo(2)).body("remaining", equalTo(1));
        assertEquals(resolved + 1, resolved(), "read by key");
    }

    @Test
    void aChangedTierLimitIsResolvedAgain() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("limit", 4)).put("/api/v1/tiers/free/limits/" + feature).then().statusCode(200);
        check().body("limit", equalTo(4)).body("limitSource", equalTo("tier"));
        asAdmin().delete("/api/v1/tiers/free/limits/" + feature).then().statusCode(204);
        check().body("limit", equalTo(7)).body("limitSource", equalTo("default"));
    }

    @Test
    void aChangedFeatureIsResolvedAgain() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("name", "Kept", "category", "data", "limitType", "count", "defaultLimit", 7, "active", false))
                .put("/api/v1/features/" + feature).then().statusCode(200);
        check().body("limitSource", equalTo("inactive")).body("unlimited", equalTo(true)).body("limit", nullValue());
    }

    @Test
    void aChangedSettingIsResolvedAgain() {
        check().body("allowed", equalTo(true));
        Settings.set("require_email_verification", "true");
        check().body("allowed", equalTo(false)).body("reason", equalTo("email_not_verified"));
    }

    @Test
    void aChangeOutsideTheServiceIsResolvedAgain() {
        check().body("limit", equalTo(3));
        Database.update("UPDATE tier_limits SET limit_value = 9 WHERE tier_id = 'free' AND feature_id = ?", feature);
        check().body("limit", equalTo(9));
    }

    @Test
    void anotherTierIsResolvedAgain() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("tier", "basic")).patch("/api/v1/profiles/" + profile).then().statusCode(200);
        check().body("limit", equalTo(7)).body("limitSource", equalTo("default"));
    }

    @Test
    void anOverrideComesFirstAtOnce() {
        check().body("limit", equalTo(3));
        double resolved = resolved();
        asAdmin().body(Map.of("limit", 12, "reason", "support case")).put("/api/v1/profiles/" + profile + "/overrides/" + feature)
                .then().statusCode(201);
        check().body("limit", equalTo(12)).body("limitSource", equalTo("override"));
        asAdmin().delete("/api/v1/profiles/" + profile + "/overrides/" + feature).then().statusCode(204);
        check().body("limit", equalTo(3)).body("limitSource", equalTo("tier"));
        assertEquals(resolved, resolved(), "overrides are read at every check, not kept");
    }

    @Test
    void aCheckNeverWaitsForALockedCounter() throws Exception {
        consume(1);
        asAdmin().body(Map.of("limit", 5)).put("/api/v1/tiers/free/limits/" + feature).then().statusCode(200);
        try (Connection writer = Database.connect(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            statement.execute("SELECT 1 FROM user_feature_usage WHERE profile_id = '" + profile + "' AND feature_id = '"
                    + feature + "' FOR UPDATE");
            try {
                // the lock is held until the check has answered: a check that waited would never answer
                CompletableFuture.supplyAsync(() -> check().body("limit", equalTo(5)).body("used", equalTo(1)))
                        .get(10, TimeUnit.SECONDS);
            } finally {
                writer.rollback();
            }
        }
        double resolved = resolved();
        check().body("limit", equalTo(5));
        assertEquals(resolved + 1, resolved(), "kept by the first check after the lock");
        check().body("limit", equalTo(5));
        assertEquals(resolved + 1, resolved());
    }

    @Test
    void aFeatureOnlyCheckedIsNotInUse() {
        check();
        asAdmin().delete("/api/v1/features/" + feature).then().statusCode(204);
        assertEquals(0, Database.count("SELECT count(*) FROM user_feature_usage WHERE feature_id = ?", feature));
    }

    @Test
    void aFeatureCountedIsInUse() {
        consume(1);
        check();
        asAdmin().delete("/api/v1/features/" + feature).then().statusCode(409).body("code", equalTo("feature_in_use"));
    }

    private ValidatableResponse check() {
        return as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/" + feature).then().statusCode(200);
    }

    private void consume(int amount) {
        as(TestTokens.service()).body(Map.of("amount", amount)).post("/api/v1/profiles/" + profile + "/usage/" + feature + "/consume")
                .then().statusCode(200);
    }

    private double resolved() {
        return registry.counter("entitlement.limit.resolved").count();
    }
}
