package com.acme.subscription.coupon;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Coupon administration (docs/coupons.md). */
@QuarkusTest
class CouponResourceTest {

    static String code(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createReadPatchAndDeactivate() {
        String code = code("Spring");
        String id = asAdmin().body(Map.of("code", "  " + code + " ", "type", "period", "tierId", "premium",
                "durationDays", 30, "maxRedemptions", 100, "description", "spring campaign"))
                .post("/api/v1/coupons").then().statusCode(201)
                .body("code", equalTo(code)).body("type", equalTo("period")).body("tierId", equalTo("premium"))
                .body("durationDays", equalTo(30)).body("maxRedemptions", equalTo(100))
                .body("redemptionCount", equalTo(0)).body("active", equalTo(true)).body("createdBy", equalTo("admin-1"))
                .body("created", notNullValue()).body("validFrom", nullValue())
                .extract().path("id");
        asAdmin().get("/api/v1/coupons/" + id).then().statusCode(200).body("code", equalTo(code));

        asAdmin().body(Map.of("maxRedemptions", 5, "description", "smaller", "validUntil", "2099-01-01T00:00:00Z"))
                .patch("/api/v1/coupons/" + id).then().statusCode(200)
                .body("maxRedemptions", equalTo(5)).body("description", equalTo("smaller"))
                .body("validUntil", equalTo("2099-01-01T00:00:00Z")).body("code", equalTo(code));
        asAdmin().body("{\"maxRedemptions\": null, \"validUntil\": null}").patch("/api/v1/coupons/" + id).then()
                .statusCode(200).body("maxRedemptions", nullValue()).body("validUntil", nullValue());
        for (String field : List.of("code", "type", "tierId", "durationDays", "redemptionCount", "id")) {
            asAdmin().body("{\"" + field + "\": 1}").patch("/api/v1/coupons/" + id).then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo(field));
        }
        asAdmin().body(Map.of("maxRedemptions", 0)).patch("/api/v1/coupons/" + id).then().statusCode(400);
        asAdmin().body(Map.of("active", "no")).patch("/api/v1/coupons/" + id).then().statusCode(400);
        asAdmin().body(Map.of("validFrom", "2099-02-01T00:00:00Z", "validUntil", "2099-01-01T00:00:00Z"))
                .patch("/api/v1/coupons/" + id).then().statusCode(400);

        asAdmin().delete("/api/v1/coupons/" + id).then().statusCode(204);
        asAdmin().get("/api/v1/coupons/" + id).then().statusCode(200).body("active", equalTo(false));
        asAdmin().get("/api/v1/coupons/no-such-coupon").then().statusCode(404).body("code", equalTo("coupon_not_found"));
        asAdmin().delete("/api/v1/coupons/no-such-coupon").then().statusCode(404);
    }

    @Test
    void codesAreUniqueRegardlessOfCase() {
        String code = code("Case");
        asAdmin().body(Map.of("code", code, "type", "period", "tierId", "basic", "durationDays", 7))
                .post("/api/v1/coupons").then().statusCode(201);
        asAdmin().body(Map.of("code", " " + code.toLowerCase() + " ", "type", "period", "tierId", "basic",
                "durationDays", 7)).post("/api/v1/coupons").then().statusCode(409)
                .body("code", equalTo("coupon_code_taken"));
    }

    @Test
    void theRulesOfEachTypeAreChecked() {
        asAdmin().body(Map.of("code", code("x"), "type", "period", "tierId", "basic")).post("/api/v1/coupons").then()
                .statusCode(400).body("errors[0].field", equalTo("durationDays"));
        asAdmin().body(Map.of("code", code("x"), "type", "wellpass", "tierId", "basic", "durationDays", 0))
                .post("/api/v1/coupons").then().statusCode(400);
        asAdmin().body(Map.of("code", code("x"), "type", "single_use", "tierId", "basic", "maxRedemptions", 2))
                .post("/api/v1/coupons").then().statusCode(400).body("errors[0].field", equalTo("maxRedemptions"));
        asAdmin().body(Map.of("code", code("x"), "type", "single_use", "tierId", "basic")).post("/api/v1/coupons")
                .then().statusCode(201).body("maxRedemptions", equalTo(1)).body("durationDays", nullValue());
        asAdmin().body(Map.of("code", code("x"), "type", "gift", "tierId", "basic")).post("/api/v1/coupons").then()
                .statusCode(400).body("errors[0].field", equalTo("type"));
        asAdmin().body(Map.of("code", code("x"), "type", "period", "tierId", "nosuch", "durationDays", 3))
                .post("/api/v1/coupons").then().statusCode(404).body("code", equalTo("tier_not_found"));
        asAdmin().body(Map.of("code", "has space", "type", "period", "tierId", "basic", "durationDays", 3))
                .post("/api/v1/coupons").then().statusCode(400).body("errors[0].field", equalTo("code"));
        asAdmin().body(Map.of("code", code("x"), "type", "period", "tierId", "basic", "durationDays", 3,
                "validFrom", "2030-01-01T00:00:00Z", "validUntil", "2029-01-01T00:00:00Z")).post("/api/v1/coupons")
                .then().statusCode(400).body("errors[0].field", equalTo("validUntil"));
    }

    @Test
    void maxRedemptionsCannotGoBelowTheCount() {
        String code = Coupons.create("period", "basic", 5, 3);
        String profile = com.acme.subscription.support.Profiles.onTier("free");
        String couponId = as(TestTokens.user(profile)).body(Map.of("code", code))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201)
                .extract().path("redemption.couponId");
        String profile2 = com.acme.subscription.support.Profiles.onTier("free");
        as(TestTokens.user(profile2)).body(Map.of("code", code)).post("/api/v1/profiles/" + profile2 + "/redemptions")
                .then().statusCode(201);
        asAdmin().body(Map.of("maxRedemptions", 1)).patch("/api/v1/coupons/" + couponId).then().statusCode(409)
                .body("code", equalTo("max_redemptions_below_count"));
        asAdmin().body(Map.of("maxRedemptions", 2)).patch("/api/v1/coupons/" + couponId).then().statusCode(200);
        asAdmin().get("/api/v1/coupons/" + couponId + "/redemptions").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("items[0].profileId", equalTo(profile2))
                .body("nextCursor", nullValue());
        com.acme.subscription.support.Settings.restoreSeed();
    }

    @Test
    void pagesListEveryCouponExactlyOnceWhileNewOnesArrive() {
        String type = "wellpass";
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            before.add(Coupons.create(type, "basic", 3, null));
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = asAdmin().queryParam("type", type).queryParam("limit", 3);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/coupons").then().statusCode(200).extract().jsonPath();
            for (String code : page.<String>getList("items.code")) {
                assertTrue(seen.add(code), "seen twice: " + code);
                order.add(code);
            }
            assertTrue(page.<String>getList("items.type").stream().allMatch(type::equals));
            cursor = page.getString("nextCursor");
            // a coupon created between pages is newer than the cursor: it never shows up twice
            Coupons.create(type, "basic", 3, null);
            pages++;
        } while (cursor != null && pages < 1000);
        assertTrue(seen.containsAll(before), "every coupon that existed at the first page is listed");
        assertEquals(order.indexOf(before.get(6)) < order.indexOf(before.get(0)), true, "newest first");
    }

    @Test
    void badPageParametersAre400() {
        for (String limit : List.of("0", "501", "x", "-1", "1.5")) {
            asAdmin().queryParam("limit", limit).get("/api/v1/coupons").then().statusCode(400)
                    .body("errors[0].field", equalTo("limit"));
        }
        for (String cursor : List.of("garbage", "!!!", "a2V5OjE")) {
            asAdmin().queryParam("cursor", cursor).get("/api/v1/coupons").then().statusCode(400)
                    .body("errors[0].field", equalTo("cursor"));
        }
        asAdmin().queryParam("active", "yes").get("/api/v1/coupons").then().statusCode(400);
        asAdmin().queryParam("type", "gift").get("/api/v1/coupons").then().statusCode(400);
        asAdmin().queryParam("limit", "500").get("/api/v1/coupons").then().statusCode(200);
    }

    @Test
    void onlyAdminsAdministerCoupons() {
        as(TestTokens.service()).get("/api/v1/coupons").then().statusCode(403);
        as(TestTokens.service()).body(Map.of("code", code("s"), "type", "period", "tierId", "basic", "durationDays", 3))
                .post("/api/v1/coupons").then().statusCode(403);
        as(TestTokens.user("u")).get("/api/v1/coupons").then().statusCode(403);
    }

    @Test
    void filtersSelectByActiveAndType() {
        String code = Coupons.create("single_use", "basic", null, null);
        String id = asAdmin().queryParam("type", "single_use").queryParam("limit", 500).get("/api/v1/coupons").then()
                .extract().path("items.find { it.code == '" + code + "' }.id");
        asAdmin().delete("/api/v1/coupons/" + id).then().statusCode(204);
        JsonPath inactive = asAdmin().queryParam("active", "false").queryParam("type", "single_use")
                .queryParam("limit", 500).get("/api/v1/coupons").then().statusCode(200).extract().jsonPath();
        assertTrue(inactive.<String>getList("items.code").contains(code));
        assertTrue(inactive.<Boolean>getList("items.active").stream().noneMatch(Boolean::booleanValue));
        assertTrue(inactive.<String>getList("items.type").stream().allMatch("single_use"::equals));
        JsonPath active = asAdmin().queryParam("active", "true").queryParam("limit", 500).get("/api/v1/coupons").then()
                .extract().jsonPath();
        assertTrue(!active.<String>getList("items.code").contains(code));
    }
}
