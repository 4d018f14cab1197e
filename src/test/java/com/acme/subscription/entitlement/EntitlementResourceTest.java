package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The check through HTTP (docs/entitlements.md): every profile sees exactly its tier's row of the seed matrix. */
@QuarkusTest
class EntitlementResourceTest {

    static final List<String> FEATURES = List.of("activity_entries", "ai_calls", "ai_pipeline", "caliper_entries",
            "circumference_entries", "export_csv", "export_json", "export_zip", "nutrition_entries", "photos",
            "weight_entries");
    static final List<String> BOOLEAN = List.of("ai_pipeline", "export_csv", "export_json", "export_zip");

    static final Map<String, Map<String, Integer>> SEED = Map.of(
            "free", limits(30, 0, 0, 10, 10, 0, 0, 0, 30, 5, 30),
            "basic", limits(null, 3, 0, null, null, 1, 1, 1, null, 50, null),
            "premium", limits(null, null, 1, null, null, 1, 1, 1, null, null, null),
            "selfhosted", limits(null, null, 1, null, null, 1, 1, 1, null, null, null));

    static Map<String, Integer> limits(Integer... values) {
        Map<String, Integer> map = new java.util.HashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(FEATURES.get(i), values[i]);
        }
        return map;
    }

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    @ParameterizedTest(name = "a profile on {0} gets exactly the seed matrix")
    @ValueSource(strings = { "free", "basic", "premium", "selfhosted" })
    void aProfileGetsItsTiersRowOfTheSeedMatrix(String tier) {
        String id = Profiles.onTier(tier);
        JsonPath body = as(TestTokens.user(id)).get("/api/v1/profiles/" + id + "/entitlements").then().statusCode(200)
                .body("profileId", equalTo(id))
                .body("tier.id", equalTo(tier))
                .body("tier.source", equalTo("base"))
                .body("baseTier", equalTo(tier))
                .body("emailVerified", equalTo(false))
                .extract().jsonPath();
        assertEquals(FEATURES, body.getList("features.featureId"));
        for (String feature : FEATURES) {
            Map<String, Object> check = body.getMap("features.find { it.featureId == '" + feature + "' }");
            Integer limit = SEED.get(tier).get(feature);
            boolean isBoolean = BOOLEAN.contains(feature);
            String where = tier + "/" + feature;
            assertEquals(limit, check.get("limit"), where);
            assertEquals(limit == null, check.get("unlimited"), where);
            assertEquals("tier", check.get("limitSource"), where);
            assertEquals(isBoolean ? "boolean" : "count", check.get("limitType"), where);
            assertEquals(isBoolean ? null : 0, check.get("used"), where);
            assertEquals(isBoolean || limit == null ? null : limit, check.get("remaining"), where);
            boolean allowed = limit == null || limit >= 1;
            assertEquals(allowed, check.get("allowed"), where);
            assertEquals(allowed ? null : "feature_disabled", check.get("reason"), where);
            assertEquals("ai_calls".equals(feature) ? "monthly" : "never", check.get("resetPeriod"), where);
        }
    }

    @Test
    void aSingleCheckHonoursTheAmount() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos?amount=5").then().statusCode(200)
                .body("allowed", equalTo(true)).body("limit", equalTo(5)).body("remaining", equalTo(5));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos?amount=6").then().statusCode(200)
                .body("allowed", equalTo(false)).body("reason", equalTo("limit_reached"));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/export_csv").then().statusCode(200)
                .body("allowed", equalTo(false)).body("reason", equalTo("feature_disabled"))
                .body("used", nullValue()).body("remaining", nullValue()).body("limit", equalTo(0));
    }

    @Test
    void booleanFeaturesAreAllowedPerLimit() {
        String basic = Profiles.onTier("basic");
        as(TestTokens.service()).get("/api/v1/profiles/" + basic + "/entitlements/export_zip").then().statusCode(200)
                .body("allowed", equalTo(true)).body("limit", equalTo(1)).body("unlimited", equalTo(false))
                .body("used", nullValue()).body("remaining", nullValue()).body("reason", nullValue());
        as(TestTokens.service()).get("/api/v1/profiles/" + basic + "/entitlements/ai_pipeline").then()
                .body("allowed", equalTo(false)).body("reason", equalTo("feature_disabled"));
    }

    @ParameterizedTest(name = "amount={0} is 400")
    @ValueSource(strings = { "0", "-1", "2000000", "1000001", "x", "1.5", "1e3", " 1", "01" })
    void badAmountsAre400(String amount) {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).queryParam("amount", amount).get("/api/v1/profiles/" + id + "/entitlements/photos")
                .then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("amount"));
    }

    @Test
    void unknownProfilesAndFeaturesAre404() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/no_such_feature").then().statusCode(404)
                .body("code", equalTo("feature_not_found"));
        as(TestTokens.service()).get("/api/v1/profiles/no-such-profile/entitlements/photos").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        as(TestTokens.service()).get("/api/v1/profiles/no-such-profile/entitlements").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
    }

    @Test
    void aUserSeesOnlyItsOwnProfile() {
        String mine = Profiles.onTier("free");
        String other = Profiles.onTier("free");
        String token = TestTokens.user(mine);
        as(token).get("/api/v1/profiles/" + mine + "/entitlements").then().statusCode(200);
        as(token).get("/api/v1/profiles/" + mine).then().statusCode(200).body("id", equalTo(mine));
        for (String path : new String[] { "/api/v1/profiles/" + other, "/api/v1/profiles/" + other + "/entitlements",
                "/api/v1/profiles/" + other + "/entitlements/photos", "/api/v1/profiles/" + other + "/overrides",
                "/api/v1/profiles/no-such-profile/entitlements" }) {
            as(token).get(path).then().statusCode(403).body("code", equalTo("forbidden"));
        }
        as(token).body(Map.of("amount", 1)).post("/api/v1/profiles/" + other + "/usage/photos/consume").then()
                .statusCode(403).body("code", equalTo("forbidden"));
    }

    @Test
    void anOverrideChangesTheLimitAndItsRemovalFallsBack() {
        String id = Profiles.onTier("free");
        String check = "/api/v1/profiles/" + id + "/entitlements/photos";
        asAdmin().body(Map.of("limit", 12, "reason", "support case 7")).put("/api/v1/profiles/" + id + "/overrides/photos")
                .then().statusCode(201).body("limit", equalTo(12)).body("createdBy", equalTo("admin-1"))
                .body("reason", equalTo("support case 7"));
        as(TestTokens.service()).get(check).then().body("limit", equalTo(12)).body("limitSource", equalTo("override"));
        asAdmin().body("{\"limit\": null}").put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(200);
        as(TestTokens.service()).get(check).then().body("limit", nullValue()).body("unlimited", equalTo(true))
                .body("limitSource", equalTo("override"));
        as(TestTokens.user(id)).get("/api/v1/profiles/" + id + "/overrides").then().statusCode(200)
                .body("featureId", equalTo(List.of("photos")));

        asAdmin().delete("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(204);
        as(TestTokens.service()).get(check).then().body("limit", equalTo(5)).body("limitSource", equalTo("tier"));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/overrides").then().body("size()", equalTo(0));
    }

    @Test
    void overridesAreAdministeredByAdminsOnly() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("limit", 1)).put("/api/v1/profiles/" + id + "/overrides/photos").then()
                .statusCode(403);
        as(TestTokens.user(id)).body(Map.of("limit", 100)).put("/api/v1/profiles/" + id + "/overrides/photos").then()
                .statusCode(403);
        asAdmin().body(Map.of("limit", 1)).put("/api/v1/profiles/no-such-profile/overrides/photos").then()
                .statusCode(404).body("code", equalTo("profile_not_found"));
        asAdmin().body(Map.of("limit", 1)).put("/api/v1/profiles/" + id + "/overrides/nosuch").then()
                .statusCode(404).body("code", equalTo("feature_not_found"));
        // removing: the profile's lock finds no profile, then the statement no feature
        asAdmin().delete("/api/v1/profiles/no-such-profile/overrides/photos").then()
                .statusCode(404).body("code", equalTo("profile_not_found"));
        asAdmin().delete("/api/v1/profiles/" + id + "/overrides/nosuch").then()
                .statusCode(404).body("code", equalTo("feature_not_found"));
        asAdmin().body("{}").put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void aLimitLoweredBelowUsageKeepsTheDataAndDenies() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("amount", 10)).post("/api/v1/profiles/" + id + "/usage/weight_entries/consume")
                .then().statusCode(200).body("used", equalTo(10));
        asAdmin().body(Map.of("limit", 4)).put("/api/v1/profiles/" + id + "/overrides/weight_entries").then().statusCode(201);
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/weight_entries").then()
                .body("used", equalTo(10)).body("limit", equalTo(4)).body("remaining", equalTo(0))
                .body("allowed", equalTo(false)).body("reason", equalTo("limit_reached"));
    }

    @Test
    void anInactiveFeatureIsNotEnforcedButActivationStillIs() {
        asAdmin().body(Map.of("name", "Retired", "defaultLimit", 0, "active", false)).put("/api/v1/features/retired_f1")
                .then().statusCode(201);
        String id = Profiles.onTier("free");
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/retired_f1").then().statusCode(200)
                .body("allowed", equalTo(true)).body("unlimited", equalTo(true)).body("limit", nullValue())
                .body("limitSource", equalTo("inactive")).body("reason", nullValue());
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then()
                .body("features.featureId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("retired_f1")));
        asAdmin().body(Map.of("tier", "disabled")).patch("/api/v1/profiles/" + id).then().statusCode(200)
                .body("tier", equalTo("disabled"));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/retired_f1").then()
                .body("allowed", equalTo(false)).body("reason", equalTo("access_disabled"));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then()
                .body("tier.id", equalTo("disabled")).body("tier.source", equalTo("base"))
                .body("baseTier", equalTo("disabled"));
        asAdmin().delete("/api/v1/features/retired_f1").then().statusCode(204);
    }
}
