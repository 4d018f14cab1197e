package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A check, of one feature or of all, and a consume read the tier's limits resolved in catalog_limits (docs/entitlements.md,
 * "How a check is answered"): the same answer as from the catalog's own tables, and every change to
 * the catalog, however it is made, in effect for the very next check.
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
        asAdmin().body(Map.of("name", "Kept", "category", "data", "limitType", "count", "resetPeriod", "monthly",
                "defaultLimit", 7)).put("/api/v1/features/" + feature).then().statusCode(201);
        asAdmin().body(Map.of("limit", 3)).put("/api/v1/tiers/free/limits/" + feature).then().statusCode(201);
        profile = Profiles.onTier("free");
    }

    @AfterEach
    void restore() {
        Settings.restoreSeed();
        // other tests see the seed's features only
        Database.update("DELETE FROM user_feature_restrictions WHERE feature_id IN (?, ?)", feature, feature + "_retired");
        Database.update("DELETE FROM user_feature_usage WHERE feature_id IN (?, ?)", feature, feature + "_retired");
        Database.update("DELETE FROM tier_limits WHERE feature_id = ?", feature);
        Database.update("DELETE FROM features WHERE id IN (?, ?)", feature, feature + "_retired");
    }

    @Test
    void aCheckReadsTheResolvedLimitByKey() {
        double fallbacks = fallbacks();
        check().body("limit", equalTo(3)).body("limitSource", equalTo("tier")).body("used", equalTo(0));
        consume(2);
        check().body("used", equalTo(2)).body("remaining", equalTo(1));
        all().body("tier.id", equalTo("free"))
                .body("features.find { it.featureId == '" + feature + "' }.limit", equalTo(3))
                .body("features.find { it.featureId == '" + feature + "' }.used", equalTo(2));
        assertEquals(fallbacks, fallbacks(), "no check read the catalog's own tables");

        // what a check reads is catalog_limits: made to disagree (no writer does), both reads say so
        Database.update("UPDATE catalog_limits SET limit_value = 99 WHERE tier_id = 'free' AND feature_id = ?", feature);
        check().body("limit", equalTo(99));
        all().body("features.find { it.featureId == '" + feature + "' }.limit", equalTo(99));
        // 2 used: 5 more pass a limit of 99, never one of 3
        consume(5).body("used", equalTo(7)).body("limit", equalTo(99));
        // the repair docs/entitlements.md gives: any catalog statement writes the resolution again
        Database.update("UPDATE tier_limits SET limit_value = limit_value WHERE false");
        check().body("limit", equalTo(3)).body("remaining", equalTo(0));
    }

    @Test
    void theResolvedCatalogAnswersAsTheCatalogItself() {
        for (String tier : List.of("free", "basic", "premium", "selfhosted")) {
            String id = Profiles.onTier(tier);
            Instant now = Instant.now();
            for (Map<String, Object> f : Database.query("SELECT id FROM features ORDER BY id")) {
                Map<String, Object> resolved = row(EntitlementSql.CHECK_ONE_RESOLVED, id, now, (String) f.get("id"));
                Map<String, Object> catalog = row(EntitlementSql.CHECK_ONE_STORED, id, now, (String) f.get("id"));
                assertEquals(true, resolved.remove("fresh"), tier + " " + f);
                catalog.remove("fresh");
                assertEquals(catalog, resolved, tier + " " + f);
            }
            List<Map<String, Object>> resolved = rows(EntitlementSql.CHECK_ALL_RESOLVED, id, now, null);
            List<Map<String, Object>> catalog = rows(EntitlementSql.CHECK_ALL_STORED, id, now, null);
            resolved.forEach(row -> assertEquals(true, row.remove("fresh"), tier));
            catalog.forEach(row -> row.remove("fresh"));
            assertEquals(catalog, resolved, tier);
        }
    }

    @Test
    void everyFeatureOfTheResolvedCatalogCarriesItsOverrideAndCounter() {
        asAdmin().body(Map.of("name", "Retired", "category", "data", "limitType", "count", "resetPeriod", "monthly",
                "defaultLimit", 7, "active", false)).put("/api/v1/features/" + feature + "_retired").then().statusCode(201);
        asAdmin().body(Map.of("limit", 12, "reason", "support case")).put("/api/v1/profiles/" + profile + "/overrides/" + feature)
                .then().statusCode(201);
        consume(5);
        // another profile's counter of the same feature is not this profile's
        String other = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("amount", 2)).post("/api/v1/profiles/" + other + "/usage/" + feature + "/consume")
                .then().statusCode(200);
        // an override and a counter of a retired feature are not the profile's entitlements
        Database.update("INSERT INTO user_feature_restrictions (profile_id, feature_id, limit_value) VALUES (?, ?, 1)",
                profile, feature + "_retired");
        Database.update("INSERT INTO user_feature_usage (profile_id, feature_id, usage_count) VALUES (?, ?, 4)",
                profile, feature + "_retired");
        Instant now = Instant.now();
        List<Map<String, Object>> resolved = rows(EntitlementSql.CHECK_ALL_RESOLVED, profile, now, null);
        List<Map<String, Object>> catalog = rows(EntitlementSql.CHECK_ALL_STORED, profile, now, null);
        assertEquals(Database.query("SELECT id FROM features WHERE active").stream().map(row -> row.get("id")).sorted()
                .toList(), resolved.stream().map(row -> row.get("feature_id")).toList(), "active features");
        assertEquals(catalog, resolved);
        all().body("features.find { it.featureId == '" + feature + "' }.limitSource", equalTo("override"))
                .body("features.find { it.featureId == '" + feature + "' }.used", equalTo(5))
                .body("features.find { it.featureId == '" + feature + "' }.remaining", equalTo(7));
    }

    /** A feature created after the seed's, with an id that sorts before theirs, is listed first. */
    @Test
    void theFeaturesComeOrderedById() {
        String first = "a0_" + feature;
        asAdmin().body(Map.of("name", "First", "category", "data", "limitType", "count", "resetPeriod", "never",
                "defaultLimit", 1)).put("/api/v1/features/" + first).then().statusCode(201);
        try {
            List<String> ids = all().extract().jsonPath().getList("features.featureId", String.class);
            assertEquals(first, ids.get(0));
            assertEquals(ids.stream().sorted().toList(), ids);
        } finally {
            asAdmin().delete("/api/v1/features/" + first).then().statusCode(204);
        }
    }

    @Test
    void aChangedTierLimitIsInEffectAtOnce() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("limit", 4)).put("/api/v1/tiers/free/limits/" + feature).then().statusCode(200);
        check().body("limit", equalTo(4)).body("limitSource", equalTo("tier"));
        asAdmin().delete("/api/v1/tiers/free/limits/" + feature).then().statusCode(204);
        check().body("limit", equalTo(7)).body("limitSource", equalTo("default"));
    }

    @Test
    void aChangedFeatureIsInEffectAtOnce() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("name", "Kept", "category", "data", "limitType", "count", "resetPeriod", "monthly",
                "defaultLimit", 7, "active", false)).put("/api/v1/features/" + feature).then().statusCode(200);
        check().body("limitSource", equalTo("inactive")).body("unlimited", equalTo(true)).body("limit", nullValue());
    }

    @Test
    void aChangedSettingIsInEffectAtOnce() {
        check().body("allowed", equalTo(true));
        Settings.set("require_email_verification", "true");
        check().body("allowed", equalTo(false)).body("reason", equalTo("email_not_verified"));
    }

    @Test
    void aChangeOutsideTheServiceIsInEffectAtOnce() {
        check().body("limit", equalTo(3));
        Database.update("UPDATE tier_limits SET limit_value = 9 WHERE tier_id = 'free' AND feature_id = ?", feature);
        check().body("limit", equalTo(9));
        Database.update("UPDATE features SET default_limit = 11 WHERE id = ?", feature);
        Database.update("DELETE FROM tier_limits WHERE tier_id = 'free' AND feature_id = ?", feature);
        check().body("limit", equalTo(11)).body("limitSource", equalTo("default"));
    }

    @Test
    void anotherTierIsInEffectAtOnce() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("tier", "basic")).patch("/api/v1/profiles/" + profile).then().statusCode(200);
        check().body("limit", equalTo(7)).body("limitSource", equalTo("default"));
    }

    @Test
    void anOverrideComesFirstAtOnce() {
        check().body("limit", equalTo(3));
        asAdmin().body(Map.of("limit", 12, "reason", "support case")).put("/api/v1/profiles/" + profile + "/overrides/" + feature)
                .then().statusCode(201);
        check().body("limit", equalTo(12)).body("limitSource", equalTo("override"));
        asAdmin().delete("/api/v1/profiles/" + profile + "/overrides/" + feature).then().statusCode(204);
        check().body("limit", equalTo(3)).body("limitSource", equalTo("tier"));
    }

    @Test
    void whatTheResolvedCatalogCannotAnswerTheCatalogDoes() {
        double fallbacks = fallbacks();
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/no_such_feature").then().statusCode(404)
                .body("code", equalTo("feature_not_found"));
        String disabled = Profiles.onTier("disabled");
        as(TestTokens.service()).get("/api/v1/profiles/" + disabled + "/entitlements/" + feature).then().statusCode(200)
                .body("allowed", equalTo(false)).body("reason", equalTo("access_disabled"));
        as(TestTokens.service()).get("/api/v1/profiles/" + disabled + "/entitlements").then().statusCode(200)
                .body("tier.id", equalTo("disabled")).body("features.allowed", everyItem(equalTo(false)));
        as(TestTokens.service()).body(Map.of("amount", 1)).post("/api/v1/profiles/" + disabled + "/usage/" + feature + "/consume")
                .then().statusCode(403).body("code", equalTo("access_disabled"));
        assertEquals(fallbacks + 4, fallbacks());
    }

    private static Map<String, Object> row(String sql, String profile, Instant now, String feature) {
        return rows(sql, profile, now, feature).get(0);
    }

    /** The statement's rows by feature id: the statements leave the order to the snapshot. */
    private static List<Map<String, Object>> rows(String sql, String profile, Instant now, String feature) {
        return Database.query(sql.replace("$1", "'" + profile + "'").replace("$2", "'" + now + "'::TIMESTAMPTZ")
                .replace("$3", "'" + feature + "'")).stream().<Map<String, Object>> map(HashMap::new)
                .sorted(Comparator.comparing(row -> String.valueOf(row.get("feature_id")))).toList();
    }

    private ValidatableResponse all() {
        return as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then().statusCode(200);
    }

    private ValidatableResponse check() {
        return as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/" + feature).then().statusCode(200);
    }

    private ValidatableResponse consume(int amount) {
        return as(TestTokens.service()).body(Map.of("amount", amount))
                .post("/api/v1/profiles/" + profile + "/usage/" + feature + "/consume").then().statusCode(200);
    }

    private double fallbacks() {
        return registry.counter("entitlement.check.fallback").count();
    }
}
