package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.management;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Parallel;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TcpProxy;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;

/** The database goes away during requests and comes back: 503s, then normal answers, nothing lost. */
@QuarkusTest
class ResilienceTest {

    @AfterEach
    void restore() {
        TcpProxy.switchDatabase(true);
        Settings.restoreSeed();
    }

    @Test
    void requestsInFlightWhenTheDatabaseGoesAwayGet200Or503AndEvery200IsKept() throws Exception {
        String profile = Profiles.onTier("basic");
        String path = "/api/v1/profiles/" + profile + "/usage/weight_entries/consume";
        List<Parallel.Call> calls = Collections.nCopies(120, new Parallel.Call(TestTokens.service(), path, "{\"amount\": 1}"));
        CompletableFuture<List<Parallel.Result>> running = CompletableFuture.supplyAsync(() -> {
            try {
                return Parallel.post(calls);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // cut the database as soon as the first consumes have been acknowledged (or all answered: each
        // request gives up after 60 s)
        Waiting.within(Duration.ofSeconds(60)).until(() -> running.isDone() || Database.count("""
                SELECT coalesce(max(usage_count), 0) FROM user_feature_usage
                WHERE profile_id = ? AND feature_id = 'weight_entries'""", profile) >= 5);
        TcpProxy.switchDatabase(false);
        List<Parallel.Result> results = running.get();
        TcpProxy.switchDatabase(true);

        Map<Integer, Long> byStatus = results.stream()
                .collect(Collectors.groupingBy(Parallel.Result::status, Collectors.counting()));
        assertTrue(Set.of(200, 503).containsAll(byStatus.keySet()), byStatus.toString());
        assertTrue(byStatus.getOrDefault(503, 0L) > 0, "some requests met the outage: " + byStatus);
        // every acknowledged consume is in the database; a consume whose answer the outage cut may be too
        long stored = Database.count("""
                SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'weight_entries'""",
                profile);
        long acknowledged = byStatus.getOrDefault(200, 0L);
        assertTrue(stored >= acknowledged && stored <= calls.size(), stored + " stored, " + acknowledged + " acknowledged");
        as(TestTokens.service()).body(Map.of("amount", 1)).post(path).then().statusCode(200);
    }

    /** The value of subscriptions_database_reachable on /q/metrics. */
    private static String reachable() {
        return management().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("subscriptions_database_reachable ")).map(line -> line.split(" ")[1])
                .findFirst().orElse("absent");
    }

    @Test
    void anOutageIs503AndTheServiceRecoversByItself() {
        String profile = Profiles.onTier("free");
        String consume = "/api/v1/profiles/" + profile + "/usage/photos/consume";
        as(TestTokens.service()).body(Map.of("amount", 3)).post(consume).then().statusCode(200).body("used", equalTo(3));

        TcpProxy.switchDatabase(false);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/photos").then().statusCode(503)
                .contentType("application/problem+json").body("code", equalTo("unavailable"));
        as(TestTokens.service()).body(Map.of("amount", 1)).post(consume).then().statusCode(503)
                .body("code", equalTo("unavailable"));
        as(TestTokens.service()).get("/api/v1/tiers").then().statusCode(503).body("code", equalTo("unavailable"));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile).then().statusCode(503);
        management().get("/q/health/group/database").then().statusCode(503).body("status", equalTo("DOWN"));
        Waiting.within(Duration.ofSeconds(10)).until(ResilienceTest::reachable, equalTo("0.0"));
        // the pod itself is fine: it stays in the Service, answering 503s instead of the ingress' errors
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        TcpProxy.switchDatabase(true);
        management().get("/q/health/group/database").then().statusCode(200).body("status", equalTo("UP"));
        Waiting.within(Duration.ofSeconds(10)).until(ResilienceTest::reachable, equalTo("1.0"));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/photos").then().statusCode(200)
                .body("used", equalTo(3));
        as(TestTokens.service()).body(Map.of("amount", 1)).post(consume).then().statusCode(200).body("used", equalTo(4));
        as(TestTokens.service()).get("/api/v1/tiers").then().statusCode(200);
        assertEquals(4L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", profile));
    }
}
