package com.acme.subscription.grant;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** Admin and subscription grants, listing and revocation (docs/grants.md). */
@QuarkusTest
class GrantResourceTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static String grants(String id) {
        return "/api/v1/profiles/" + id + "/grants";
    }

    @Test
    void adminsAndTheServiceGrantTiersThatTheEffectiveTierFollows() {
        String id = Profiles.onTier("free");
        String grantId = asAdmin().body(Map.of("tierId", "basic", "days", 30, "reason", "goodwill")).post(grants(id))
                .then().statusCode(201)
                .body("tierId", equalTo("basic")).body("grantedBy", equalTo("admin")).body("isActive", equalTo(true))
                .body("wellpass", equalTo(false)).body("pausedBy", nullValue()).body("profileId", equalTo(id))
                .extract().path("id");
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then()
                .body("tier.id", equalTo("basic")).body("tier.source", equalTo("grant"))
                .body("tier.grantId", equalTo(grantId)).body("tier.grantedBy", equalTo("admin"));

        Instant until = Instant.now().plus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        as(TestTokens.service()).body(Map.of("tierId", "premium", "validUntil", until.toString())).post(grants(id))
                .then().statusCode(201).body("grantedBy", equalTo("subscription"))
                .body("validUntil", equalTo(until.toString()));
        as(TestTokens.user(id)).get("/api/v1/profiles/" + id + "/entitlements").then()
                .body("tier.id", equalTo("premium")).body("tier.grantedBy", equalTo("subscription"));
        as(TestTokens.user(id)).get(grants(id)).then().statusCode(200).body("size()", equalTo(2));
        assertEquals(2L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_created'", id));
    }

    @Test
    void badGrantsAre400AndUnknownTiers404() {
        String id = Profiles.onTier("free");
        for (String body : new String[] { "{\"tierId\": \"basic\"}", "{\"tierId\": \"basic\", \"days\": 0}",
                "{\"tierId\": \"basic\", \"days\": 1.5}", "{\"tierId\": \"basic\", \"days\": 3, \"validUntil\": \"2099-01-01T00:00:00Z\"}",
                "{\"tierId\": \"basic\", \"validUntil\": \"2001-01-01T00:00:00Z\"}",
                "{\"tierId\": \"basic\", \"validUntil\": \"tomorrow\"}", "{\"days\": 3}" }) {
            asAdmin().body(body).post(grants(id)).then().statusCode(400).body("code", equalTo("validation_failed"));
        }
        asAdmin().body(Map.of("tierId", "nosuch", "days", 3)).post(grants(id)).then().statusCode(404)
                .body("code", equalTo("tier_not_found"));
        asAdmin().body(Map.of("tierId", "basic", "days", 3)).post(grants("no-such-profile")).then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        as(TestTokens.user(id)).body(Map.of("tierId", "basic", "days", 3)).post(grants(id)).then().statusCode(403);
        assertEquals(0L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", id));
    }

    @Test
    void revocationEndsTheGrantNowAndForGood() {
        String id = Profiles.onTier("free");
        String grantId = asAdmin().body(Map.of("tierId", "premium", "days", 10)).post(grants(id)).then().statusCode(201)
                .extract().path("id");
        as(TestTokens.service()).delete(grants(id) + "/" + grantId).then().statusCode(403);
        asAdmin().delete(grants(id) + "/" + grantId).then().statusCode(204);
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then().body("tier.id", equalTo("free"));
        as(TestTokens.service()).get(grants(id)).then().body("size()", equalTo(0));
        as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().body("size()", equalTo(1))
                .body("[0].isActive", equalTo(false)).body("[0].revokedAt", notNullValue());
        asAdmin().delete(grants(id) + "/" + grantId).then().statusCode(204);
        asAdmin().delete(grants(id) + "/no-such-grant").then().statusCode(404).body("code", equalTo("grant_not_found"));
        as(TestTokens.service()).get(grants(id) + "?includeInactive=maybe").then().statusCode(400);
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_revoked'", id));
    }

    @Test
    void grantCreationTakesAnIdempotencyKey() {
        String id = Profiles.onTier("free");
        String first = as(TestTokens.service()).header("Idempotency-Key", "sub-1").body(Map.of("tierId", "basic", "days", 30))
                .post(grants(id)).then().statusCode(201).extract().asString();
        String again = as(TestTokens.service()).header("Idempotency-Key", "sub-1").body(Map.of("tierId", "basic", "days", 30))
                .post(grants(id)).then().statusCode(201).extract().asString();
        assertEquals(first, again);
        assertEquals(1L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", id));
    }

    @Test
    void theListingShowsAGrantByteForByteAsItsCreationAndRevocationDid() {
        String id = Profiles.onTier("free");
        String older = asAdmin().body(Map.of("tierId", "basic", "days", 30)).post(grants(id)).then().statusCode(201)
                .extract().asString();
        String wellpass = as(TestTokens.user(id)).body(Map.of("code", Coupons.create("wellpass", "premium", 10, null)))
                .post("/api/v1/profiles/" + id + "/redemptions").then().statusCode(201).extract().path("grant.id");
        // created paused: pausedBy, pausedAt, remainingDays and remainingSeconds are set
        String paused = asAdmin().body(Map.of("tierId", "premium", "days", 3)).post(grants(id)).then().statusCode(201)
                .body("pausedBy", equalTo(wellpass)).extract().asString();
        String pausedId = io.restassured.path.json.JsonPath.from(paused).getString("id");
        String listed = as(TestTokens.service()).get(grants(id)).then().statusCode(200).extract().asString();
        // newest first; the paused grant exactly as its creation answered it
        assertEquals(List.of(pausedId, wellpass), io.restassured.path.json.JsonPath.from(listed).getList("id").subList(0, 2));
        assertTrue(listed.startsWith("[" + paused + ","), listed);
        // the older grant was paused after its creation: the listing shows that, with the same fields in the same order
        assertTrue(listed.contains(older.substring(0, older.indexOf("\"isActive\""))), listed);

        asAdmin().delete(grants(id) + "/" + pausedId).then().statusCode(204);
        String all = as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().statusCode(200)
                .extract().asString();
        Map<String, Object> revoked = io.restassured.path.json.JsonPath.from(all).getMap("find { it.id == '" + pausedId + "' }");
        assertEquals(List.of("id", "profileId", "tierId", "grantedBy", "couponId", "wellpass", "subscriptionId",
                "validFrom", "validUntil",
                "isActive", "pausedBy", "pausedAt", "remainingDays", "remainingSeconds", "revokedAt", "created"),
                List.copyOf(revoked.keySet()));
        assertEquals(revoked.get("revokedAt"), revoked.get("validUntil"));
    }

    @Test
    void entriesWrittenByGrantStatementsCarryTheOriginOfTheRequest() {
        String id = Profiles.onTier("free");
        String grant = asAdmin().body(Map.of("tierId", "basic", "days", 30)).post(grants(id)).then().statusCode(201)
                .extract().path("id");
        String wellpass = as(TestTokens.user(id)).header("User-Agent", "Redeemer/1.0")
                .body(Map.of("code", Coupons.create("wellpass", "premium", 10, null)))
                .post("/api/v1/profiles/" + id + "/redemptions").then().statusCode(201).extract().path("grant.id");
        asAdmin().header("User-Agent", "Console/2.0").delete(grants(id) + "/" + wellpass).then().statusCode(204);
        assertEquals(List.of(Map.of("action", "grant_paused", "ip_address", "127.0.0.1", "user_agent", "Redeemer/1.0"),
                Map.of("action", "grant_resumed", "ip_address", "127.0.0.1", "user_agent", "Console/2.0")),
                Database.query("""
                        SELECT action, ip_address, user_agent FROM user_activity_log
                        WHERE profile_id = ? AND details->>'grantId' = ? AND action IN ('grant_paused', 'grant_resumed')
                        ORDER BY seq""", id, grant));
    }
}
