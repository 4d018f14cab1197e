package com.acme.subscription.coupon;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** Redeeming coupons through HTTP (docs/coupons.md). */
@QuarkusTest
class RedemptionResourceTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static io.restassured.response.Response redeem(String profile, String code) {
        return as(TestTokens.user(profile)).body(Map.of("code", code)).post("/api/v1/profiles/" + profile + "/redemptions");
    }

    static String couponId(String code) {
        return (String) Database.query("SELECT id FROM coupons WHERE code = ?", code).get(0).get("id");
    }

    @Test
    void aPeriodCouponGrantsItsTierForItsDuration() {
        String profile = Profiles.onTier("free");
        String code = Coupons.create("period", "premium", 30, null);
        redeem(profile, "  " + code.toLowerCase() + " ").then().statusCode(201)
                .body("redemption.couponId", equalTo(couponId(code))).body("redemption.profileId", equalTo(profile))
                .body("redemption.code", equalTo(code)).body("redemption.redeemedAt", notNullValue())
                .body("grant.tierId", equalTo("premium")).body("grant.grantedBy", equalTo("coupon"))
                .body("grant.couponId", equalTo(couponId(code))).body("grant.wellpass", equalTo(false))
                .body("grant.isActive", equalTo(true));
        as(TestTokens.user(profile)).get("/api/v1/profiles/" + profile + "/entitlements").then()
                .body("tier.id", equalTo("premium")).body("tier.grantedBy", equalTo("coupon"));
        asAdmin().get("/api/v1/coupons/" + couponId(code)).then().body("redemptionCount", equalTo(1));
        as(TestTokens.user(profile)).get("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].code", equalTo(code));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'coupon_redeemed'", profile));
    }

    @Test
    void singleUseWithDurationGrantsAndWithoutRaisesTheBaseTierForGood() {
        String withDuration = Profiles.onTier("free");
        redeem(withDuration, Coupons.create("single_use", "basic", 10, null)).then().statusCode(201)
                .body("grant.tierId", equalTo("basic"));

        String raised = Profiles.onTier("free");
        String code = Coupons.create("single_use", "premium", null, null);
        redeem(raised, code).then().statusCode(201).body("grant", nullValue())
                .body("redemption.accessGrantId", nullValue());
        as(TestTokens.service()).get("/api/v1/profiles/" + raised).then().body("tier", equalTo("premium"));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'tier_changed' "
                        + "AND details->>'to' = 'premium' AND details->>'from' = 'free'", raised));
        // redeemable once in total
        String other = Profiles.onTier("free");
        redeem(other, code).then().statusCode(410).body("code", equalTo("coupon_exhausted"));

        // never lowers the base tier
        String high = Profiles.onTier("selfhosted");
        redeem(high, Coupons.create("single_use", "basic", null, null)).then().statusCode(201);
        as(TestTokens.service()).get("/api/v1/profiles/" + high).then().body("tier", equalTo("selfhosted"));
        assertEquals(0L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'tier_changed' "
                        + "AND details->>'couponId' IS NOT NULL", high));
    }

    @Test
    void aDisabledProfileIsRaisedEvenToATierOfTheLowestSortOrder() {
        asAdmin().body(Map.of("name", "Lowest", "sortOrder", Integer.MIN_VALUE)).put("/api/v1/tiers/lowest_t").then()
                .statusCode(201);
        String profile = Profiles.onTier("disabled");
        redeem(profile, Coupons.create("single_use", "lowest_t", null, null)).then().statusCode(201);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile).then().body("tier", equalTo("lowest_t"));
    }

    @Test
    void refusalsComeWithTheirCodesInTheDocumentedOrder() {
        String profile = Profiles.onTier("free");
        redeem(profile, "NO-SUCH-CODE").then().statusCode(404).body("code", equalTo("coupon_not_found"));

        String code = Coupons.create("period", "basic", 5, null);
        redeem(profile, code).then().statusCode(201);
        // redeemed before beats inactive
        asAdmin().body(Map.of("active", false)).patch("/api/v1/coupons/" + couponId(code)).then().statusCode(200);
        redeem(profile, code).then().statusCode(409).body("code", equalTo("coupon_already_redeemed"));

        String other = Profiles.onTier("free");
        redeem(other, code).then().statusCode(410).body("code", equalTo("coupon_inactive"));

        // inactive beats not yet valid beats expired beats exhausted
        String window = Coupons.create("period", "basic", 5, 1);
        String id = couponId(window);
        asAdmin().body(Map.of("validFrom", "2099-01-01T00:00:00Z")).patch("/api/v1/coupons/" + id).then().statusCode(200);
        redeem(other, window).then().statusCode(410).body("code", equalTo("coupon_not_yet_valid"));
        asAdmin().body("{\"validFrom\": null, \"validUntil\": \"2001-01-01T00:00:00Z\"}").patch("/api/v1/coupons/" + id)
                .then().statusCode(200);
        redeem(other, window).then().statusCode(410).body("code", equalTo("coupon_expired"));
        asAdmin().body("{\"validUntil\": null}").patch("/api/v1/coupons/" + id).then().statusCode(200);
        redeem(other, window).then().statusCode(201);
        redeem(Profiles.onTier("free"), window).then().statusCode(410).body("code", equalTo("coupon_exhausted"));
        assertEquals(1L, Database.count("SELECT redemption_count FROM coupons WHERE id = ?", id));
    }

    @Test
    void aUserRedeemsOnlyForItself() {
        String mine = Profiles.onTier("free");
        String other = Profiles.onTier("free");
        as(TestTokens.user(mine)).body(Map.of("code", "X")).post("/api/v1/profiles/" + other + "/redemptions").then()
                .statusCode(403);
        as(TestTokens.user(mine)).get("/api/v1/profiles/" + other + "/redemptions").then().statusCode(403);
        as(TestTokens.service()).body(Map.of("code", "X")).post("/api/v1/profiles/no-such-profile/redemptions").then()
                .statusCode(404).body("code", equalTo("profile_not_found"));
        as(TestTokens.user(mine)).body("{}").post("/api/v1/profiles/" + mine + "/redemptions").then().statusCode(400)
                .body("errors[0].field", equalTo("code"));
    }

    @Test
    void redemptionTakesAnIdempotencyKey() {
        String profile = Profiles.onTier("free");
        String code = Coupons.create("period", "basic", 5, null);
        String first = as(TestTokens.user(profile)).header("Idempotency-Key", "r-1").body(Map.of("code", code))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201).extract().asString();
        String again = as(TestTokens.user(profile)).header("Idempotency-Key", "r-1").body(Map.of("code", code))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201).extract().asString();
        assertEquals(first, again);
        assertEquals(1L, Database.count("SELECT redemption_count FROM coupons WHERE id = ?", couponId(code)));
        assertEquals(0L, Database.count("SELECT count(*) FROM redemption_failures WHERE profile_id = ?", profile));
    }
}
