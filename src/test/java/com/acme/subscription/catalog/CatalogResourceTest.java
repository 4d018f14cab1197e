package com.acme.subscription.catalog;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The catalog (docs/catalog.md) through HTTP only, so that it runs against the packaged jar too
 * ({@code CatalogResourceIT}).
 */
@QuarkusTest
class CatalogResourceTest {

    @Test
    void tierLimitsIsTheSeedMatrixCellByCell() {
        JsonPath matrix = as(TestTokens.user("someone")).get("/api/v1/tier-limits").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(java.util.List.of("free", "basic", "premium", "selfhosted"),
                matrix.getList("tiers").subList(0, 4));
        for (var tier : SeedMigrationTest.SEED_MATRIX.entrySet()) {
            Map<String, Object> row = matrix.getMap("limits." + tier.getKey());
            for (var cell : tier.getValue().entrySet()) {
                assertEquals(true, row.containsKey(cell.getKey()), tier.getKey() + "/" + cell.getKey() + " present");
                assertEquals(cell.getValue(), row.get(cell.getKey()), tier.getKey() + "/" + cell.getKey());
            }
        }
    }

    @Test
    void tiersAreSortedAndReadableWithAnyValidToken() {
        as(TestTokens.service()).get("/api/v1/tiers").then().statusCode(200)
                .body("id[0]", equalTo("free"))
                .body("find { it.id == 'basic' }.priceMonthlyCents", equalTo(499))
                .body("find { it.id == 'selfhosted' }.active", equalTo(false))
                .body("find { it.id == 'premium' }.sortOrder", equalTo(3));
        as(TestTokens.user("u1")).get("/api/v1/tiers/basic").then().statusCode(200)
                .body("name", equalTo("Basic")).body("priceYearlyCents", equalTo(4990));
        as(TestTokens.user("u1")).get("/api/v1/features/ai_calls").then().statusCode(200)
                .body("limitType", equalTo("count")).body("resetPeriod", equalTo("monthly"))
                .body("defaultLimit", equalTo(0)).body("category", equalTo("ai"));
    }

    @Test
    void putTierCreatesWith201ThenUpdatesWith200() {
        asAdmin().body(Map.of("name", "Gold", "sortOrder", 50, "priceMonthlyCents", 1999)).put("/api/v1/tiers/gold_t1")
                .then().statusCode(201)
                .body("id", equalTo("gold_t1")).body("active", equalTo(true)).body("priceMonthlyCents", equalTo(1999));
        asAdmin().body(Map.of("name", "Gold+", "sortOrder", 51, "active", false)).put("/api/v1/tiers/gold_t1")
                .then().statusCode(200)
                .body("name", equalTo("Gold+")).body("sortOrder", equalTo(51)).body("active", equalTo(false))
                .body("priceMonthlyCents", nullValue());
        asAdmin().get("/api/v1/tiers").then().body("id", org.hamcrest.Matchers.hasItem("gold_t1"));
        asAdmin().delete("/api/v1/tiers/gold_t1").then().statusCode(204);
        asAdmin().get("/api/v1/tiers/gold_t1").then().statusCode(404).body("code", equalTo("tier_not_found"));
        asAdmin().delete("/api/v1/tiers/gold_t1").then().statusCode(404).body("code", equalTo("tier_not_found"));
    }

    @Test
    void aSortOrderAnotherTierHasIs409() {
        asAdmin().body(Map.of("name", "Clash", "sortOrder", 2)).put("/api/v1/tiers/clash_t2")
                .then().statusCode(409).body("code", equalTo("sort_order_taken"))
                .contentType("application/problem+json");
        asAdmin().get("/api/v1/tiers/clash_t2").then().statusCode(404);
    }

    /** A Stripe price id is something without spaces, one price per interval; a bad one changes nothing. */
    @Test
    void aStripePriceIdIsNotEmptyHasNoSpacesAndServesOneInterval() {
        for (String bad : List.of("", "   ", "price 1")) {
            asAdmin().body(Map.of("name", "Priced", "sortOrder", 70, "stripePriceIdMonthly", bad))
                    .put("/api/v1/tiers/priced_t1").then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("errors[0].field", equalTo("stripePriceIdMonthly"));
        }
        asAdmin().body(Map.of("name", "Priced", "sortOrder", 70, "stripePriceIdMonthly", "price_same",
                "stripePriceIdYearly", "price_same")).put("/api/v1/tiers/priced_t1").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("stripePriceIdYearly"));
        asAdmin().get("/api/v1/tiers/priced_t1").then().statusCode(404);
    }

    @Test
    void tierIdDisabledIsReserved() {
        asAdmin().body(Map.of("name", "Nope", "sortOrder", 99)).put("/api/v1/tiers/disabled")
                .then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("tierId"));
    }

    @Test
    void tiersNamedBySettingsAreInUse() {
        // premium is trial_tier, free is post_trial_tier in the seed
        asAdmin().delete("/api/v1/tiers/premium").then().statusCode(409).body("code", equalTo("tier_in_use"));
        asAdmin().delete("/api/v1/tiers/free").then().statusCode(409).body("code", equalTo("tier_in_use"));
        asAdmin().get("/api/v1/tier-limits").then().body("limits.premium.ai_pipeline", equalTo(1));
    }

    @Test
    void aFeatureAddedThroughTheApiAppearsInTheMatrixWithNoSchemaChange() {
        asAdmin().body(Map.of("name", "Reports", "category", "export", "limitType", "boolean", "defaultLimit", 0))
                .put("/api/v1/features/reports_f1").then().statusCode(201)
                .body("limitType", equalTo("boolean")).body("resetPeriod", equalTo("never"))
                .body("defaultLimit", equalTo(0)).body("active", equalTo(true));
        asAdmin().get("/api/v1/tier-limits").then().statusCode(200)
                .body("features", org.hamcrest.Matchers.hasItem("reports_f1"))
                .body("limits.premium", not(hasKey("reports_f1")));

        asAdmin().body(Map.of("limit", 1)).put("/api/v1/tiers/premium/limits/reports_f1").then().statusCode(201)
                .body("tierId", equalTo("premium")).body("featureId", equalTo("reports_f1")).body("limit", equalTo(1));
        asAdmin().body("{\"limit\": null}").put("/api/v1/tiers/basic/limits/reports_f1").then().statusCode(201)
                .body("limit", nullValue());
        asAdmin().get("/api/v1/tier-limits").then()
                .body("limits.premium.reports_f1", equalTo(1))
                .body("limits.basic", hasKey("reports_f1"))
                .body("limits.basic.reports_f1", nullValue())
                .body("limits.free", not(hasKey("reports_f1")));

        asAdmin().body(Map.of("limit", 5)).put("/api/v1/tiers/premium/limits/reports_f1").then().statusCode(200)
                .body("limit", equalTo(5));

        // DELETE falls back to the default: the cell is absent again
        asAdmin().delete("/api/v1/tiers/premium/limits/reports_f1").then().statusCode(204);
        asAdmin().get("/api/v1/tier-limits").then().body("limits.premium", not(hasKey("reports_f1")));

        // the feature goes, with its tier limits
        asAdmin().delete("/api/v1/features/reports_f1").then().statusCode(204);
        asAdmin().get("/api/v1/tier-limits").then()
                .body("features", not(org.hamcrest.Matchers.hasItem("reports_f1")))
                .body("limits.basic", not(hasKey("reports_f1")));
        asAdmin().get("/api/v1/features/reports_f1").then().statusCode(404).body("code", equalTo("feature_not_found"));
    }

    @Test
    void limitsOfUnknownTiersOrFeaturesAre404() {
        asAdmin().body(Map.of("limit", 1)).put("/api/v1/tiers/nosuch/limits/photos").then().statusCode(404)
                .body("code", equalTo("tier_not_found"));
        asAdmin().body(Map.of("limit", 1)).put("/api/v1/tiers/free/limits/nosuch").then().statusCode(404)
                .body("code", equalTo("feature_not_found"));
        asAdmin().delete("/api/v1/tiers/nosuch/limits/photos").then().statusCode(404)
                .body("code", equalTo("tier_not_found"));
        asAdmin().delete("/api/v1/tiers/free/limits/nosuch").then().statusCode(404)
                .body("code", equalTo("feature_not_found"));
    }

    @Test
    void aTierDeletedGoesWithItsLimits() {
        asAdmin().body(Map.of("name", "Temp", "sortOrder", 70)).put("/api/v1/tiers/temp_t3").then().statusCode(201);
        asAdmin().body(Map.of("limit", 7)).put("/api/v1/tiers/temp_t3/limits/photos").then().statusCode(201);
        asAdmin().get("/api/v1/tier-limits").then().body("limits.temp_t3.photos", equalTo(7));
        asAdmin().delete("/api/v1/tiers/temp_t3").then().statusCode(204);
        asAdmin().get("/api/v1/tier-limits").then().body("tiers", not(org.hamcrest.Matchers.hasItem("temp_t3")))
                .body("limits", not(hasKey("temp_t3")));
    }

    @Test
    void settingsAreReadAndValidatedPerKey() {
        asAdmin().get("/api/v1/settings").then().statusCode(200)
                .body("trial_duration_days", equalTo("14")).body("usage_reset_zone", equalTo("UTC"))
                .body("require_email_verification", equalTo("true"));
        asAdmin().body(Map.of("value", "21")).put("/api/v1/settings/invitation_ttl_days").then().statusCode(200)
                .body("key", equalTo("invitation_ttl_days")).body("value", equalTo("21"));
        asAdmin().get("/api/v1/settings").then().body("invitation_ttl_days", equalTo("21"));
        asAdmin().body(Map.of("value", "7")).put("/api/v1/settings/invitation_ttl_days").then().statusCode(200);

        asAdmin().body(Map.of("value", "91")).put("/api/v1/settings/invitation_ttl_days").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("value"));
        asAdmin().body(Map.of("value", "366")).put("/api/v1/settings/trial_duration_days").then().statusCode(400);
        asAdmin().body(Map.of("value", "yes")).put("/api/v1/settings/self_registration_enabled").then().statusCode(400);
        asAdmin().body(Map.of("value", "Mars/Olympus")).put("/api/v1/settings/usage_reset_zone").then().statusCode(400);
        asAdmin().body(Map.of("value", "nosuch")).put("/api/v1/settings/post_trial_tier").then().statusCode(400)
                .body("errors[0].message", equalTo("must name a tier that exists; there is no tier 'nosuch'"));
        asAdmin().body(Map.of("value", "disabled")).put("/api/v1/settings/trial_tier").then().statusCode(400);
        asAdmin().body(Map.of("value", "1")).put("/api/v1/settings/no_such_key").then().statusCode(404)
                .body("code", equalTo("setting_not_found"));
        asAdmin().get("/api/v1/settings").then().body("trial_duration_days", equalTo("14"))
                .body("post_trial_tier", equalTo("free")).body("usage_reset_zone", equalTo("UTC"));

        asAdmin().body(Map.of("value", "Europe/Berlin")).put("/api/v1/settings/usage_reset_zone").then().statusCode(200);
        asAdmin().body(Map.of("value", "UTC")).put("/api/v1/settings/usage_reset_zone").then().statusCode(200);
    }

    /** PostgreSQL applies the zone, so it refuses one it does not know, whoever writes it (V18). */
    @Test
    void theDatabaseRefusesAResetZoneItDoesNotKnow() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Database.update(
                "UPDATE app_settings SET value = 'Mars/Olympus' WHERE key = 'usage_reset_zone'"));
        assertEquals("22023", ((SQLException) refused.getCause()).getSQLState());
        asAdmin().get("/api/v1/settings").then().body("usage_reset_zone", equalTo("UTC"));

        // a zone the JVM knows and PostgreSQL does not (their zone databases differ by release),
        // played by making PostgreSQL refuse Europe/Berlin for a moment: a 400, nothing stored
        String migrated = (String) Database.query("SELECT pg_get_functiondef('check_reset_zone'::regproc) AS def")
                .get(0).get("def");
        Database.update("""
                CREATE OR REPLACE FUNCTION check_reset_zone() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.value = 'Europe/Berlin' THEN
                        RAISE EXCEPTION 'time zone "%" not recognized', NEW.value USING ERRCODE = '22023';
                    END IF;
                    RETURN NEW;
                END $$""");
        try {
            asAdmin().body(Map.of("value", "Europe/Berlin")).put("/api/v1/settings/usage_reset_zone").then()
                    .statusCode(400).body("code", equalTo("validation_failed"))
                    .body("errors[0].field", equalTo("value"))
                    .body("errors[0].message", equalTo("must be a time zone PostgreSQL knows, such as Europe/Berlin"));
        } finally {
            Database.update(migrated);
        }
        asAdmin().get("/api/v1/settings").then().body("usage_reset_zone", equalTo("UTC"));
        // the migrated check is back: Europe/Berlin is taken again, an unknown zone still refused
        asAdmin().body(Map.of("value", "Europe/Berlin")).put("/api/v1/settings/usage_reset_zone").then().statusCode(200);
        asAdmin().body(Map.of("value", "UTC")).put("/api/v1/settings/usage_reset_zone").then().statusCode(200);
        assertThrows(IllegalStateException.class, () -> Database.update(
                "UPDATE app_settings SET value = 'Mars/Olympus' WHERE key = 'usage_reset_zone'"));
    }

    @Test
    void aTierNamedByPostTrialTierIsInUseUntilTheSettingMovesOn() {
        asAdmin().body(Map.of("name", "After trial", "sortOrder", 80)).put("/api/v1/tiers/after_t4").then().statusCode(201);
        asAdmin().body(Map.of("value", "after_t4")).put("/api/v1/settings/post_trial_tier").then().statusCode(200);
        asAdmin().delete("/api/v1/tiers/after_t4").then().statusCode(409).body("code", equalTo("tier_in_use"));
        asAdmin().body(Map.of("value", "disabled")).put("/api/v1/settings/post_trial_tier").then().statusCode(200);
        asAdmin().delete("/api/v1/tiers/after_t4").then().statusCode(204);
        asAdmin().body(Map.of("value", "free")).put("/api/v1/settings/post_trial_tier").then().statusCode(200);
        asAdmin().get("/api/v1/settings").then().body("post_trial_tier", equalTo("free"));
    }

    @Test
    void matrixListsTiersInRankOrderAndEveryFeature() {
        var tierIds = as(TestTokens.user("u2")).get("/api/v1/tiers").then().extract().jsonPath().getList("id");
        var featureIds = as(TestTokens.user("u2")).get("/api/v1/features").then().extract().jsonPath().getList("id");
        JsonPath matrix = as(TestTokens.user("u2")).get("/api/v1/tier-limits").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(tierIds, matrix.getList("tiers"));
        assertEquals(featureIds, matrix.getList("features"));
    }

    /**
     * A path with a dot segment is refused, not resolved: DELETE of a tier's limit "%2e%2e" would
     * otherwise be routed as DELETE of the tier, an operation the request did not name.
     */
    @Test
    void aPathWithADotSegmentIsRefusedAndChangesNothing() {
        String tier = "dots_" + Long.toString(System.nanoTime(), 36).replaceAll("[^a-z0-9]", "");
        asAdmin().body(Map.of("name", "Dots", "sortOrder", 9000 + (int) (System.nanoTime() % 900)))
                .put("/api/v1/tiers/" + tier).then().statusCode(201);
        for (String path : List.of("/api/v1/tiers/" + tier + "/limits/%2e%2e", "/api/v1/tiers/" + tier + "/limits/%2E.",
                "/api/v1/tiers/" + tier + "/./limits/photos")) {
            asAdmin().urlEncodingEnabled(false).delete(path).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("validation_failed"))
                    .body("errors[0].field", equalTo("url"));
        }
        asAdmin().get("/api/v1/tiers/" + tier).then().statusCode(200);
        asAdmin().delete("/api/v1/tiers/" + tier).then().statusCode(204);
    }
}
