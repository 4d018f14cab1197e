package com.acme.subscription.stats;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** {@code GET /stats}: every figure equals the same count computed directly in SQL. */
@QuarkusTest
class StatsResourceTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static Map<String, Long> grouped(String sql) {
        Map<String, Long> counts = new TreeMap<>();
        Database.query(sql).forEach(row -> counts.put((String) row.get("k"), ((Number) row.get("n")).longValue()));
        return counts;
    }

    static Map<String, Long> longs(Map<String, Object> map) {
        Map<String, Long> counts = new TreeMap<>();
        map.forEach((key, value) -> counts.put(key, ((Number) value).longValue()));
        return counts;
    }

    /**
     * Many at once, more than the pool has connections: every one is answered. (Statistics that held
     * a connection while asking for a second would all wait for each other, for good.)
     */
    @Test
    void manyAtOnceAreAllAnswered() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/stats"))
                .header("Authorization", "Bearer " + TestTokens.admin()).timeout(Duration.ofSeconds(20)).GET().build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get(30, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void figuresEqualCountsComputedInSql() {
        // a seeded set: profiles on several tiers, grants, a pause, redemptions and usage
        String basic = Profiles.onTier("basic");
        Profiles.onTier("disabled");
        String wellpassed = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "premium", "days", 10)).post("/api/v1/profiles/" + wellpassed + "/grants").then()
                .statusCode(201);
        as(TestTokens.user(wellpassed)).body(Map.of("code", Coupons.create("wellpass", "basic", 5, null)))
                .post("/api/v1/profiles/" + wellpassed + "/redemptions").then().statusCode(201);
        as(TestTokens.service()).body(Map.of("amount", 3)).post("/api/v1/profiles/" + basic + "/usage/photos/consume")
                .then().statusCode(200);
        asAdmin().body(Map.of("emailVerified", true)).patch("/api/v1/profiles/" + basic).then().statusCode(200);

        // the table catches up with what reads count (pauses whose Wellpass grant ended as resumed),
        // so that the plain SQL below sees the same
        asAdmin().post("/api/v1/admin/jobs/resume-grants").then().statusCode(200);
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);
        JsonPath stats = asAdmin().get("/api/v1/stats").then().statusCode(200).extract().jsonPath();
        assertEquals(Database.count("SELECT count(*) FROM profiles"), stats.getLong("profiles.total"));
        assertEquals(Database.count("SELECT count(*) FROM profiles WHERE email_verified"),
                stats.getLong("profiles.emailVerified"));
        assertEquals(grouped("SELECT coalesce(tier, 'disabled') AS k, count(*) AS n FROM profiles GROUP BY 1"),
                longs(stats.getMap("profiles.byTier")));
        assertEquals(grouped("""
                SELECT granted_by AS k, count(*) AS n FROM access_grants
                WHERE is_active AND valid_from <= now() AND now() < valid_until GROUP BY 1"""),
                longs(stats.getMap("grants.active")));
        assertEquals(Database.count("SELECT count(*) FROM access_grants WHERE paused_by IS NOT NULL"),
                stats.getLong("grants.paused"));
        assertEquals(grouped("""
                SELECT c.type AS k, count(*) AS n FROM coupon_redemptions r JOIN coupons c ON c.id = r.coupon_id
                WHERE r.redeemed_at > now() - interval '30 days' GROUP BY 1"""),
                longs(stats.getMap("redemptionsLast30Days")));
        assertEquals(grouped("""
                SELECT u.feature_id AS k, sum(u.usage_count) AS n FROM user_feature_usage u
                JOIN features f ON f.id = u.feature_id WHERE f.reset_period = 'never' OR u.reset_at > now() GROUP BY 1"""),
                longs(stats.getMap("usage")));
        as(TestTokens.service()).get("/api/v1/stats").then().statusCode(403);
    }
}
