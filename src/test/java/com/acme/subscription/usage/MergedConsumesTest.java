package com.acme.subscription.usage;

import static com.acme.subscription.support.ApiTest.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Consumes sent without an Idempotency-Key that wait for a write connection commit together, in
 * one statement (GroupCommit, UsageRepository.consumeAll): each is answered as it would be alone,
 * its refusal included; one the statement cannot decide runs alone after them.
 */
@QuarkusTest
class MergedConsumesTest {

    @Inject
    MeterRegistry registry;

    @Test
    void consumesThatShareOneStatementAreEachAnsweredAsAlone() throws Exception {
        String token = TestTokens.service();
        List<String> holders = List.of(Profiles.onTier("free"), Profiles.onTier("free"));
        for (String holder : holders) {
            as(token).post(UsageResourceTest.usage(holder, "weight_entries") + "/consume").then().statusCode(200);
        }
        String fits = Profiles.onTier("free");
        String full = Profiles.onTier("free");
        String bool = Profiles.onTier("free");
        as(token).body(Map.of("used", 5)).put(UsageResourceTest.usage(full, "photos")).then().statusCode(200);
        String stale = Profiles.onTier("free");
        as(token).body(Map.of("used", 3)).put(UsageResourceTest.usage(stale, "weight_entries")).then().statusCode(200);
        // the stored state no longer holds: the group's statement cannot decide this consume
        Database.update("UPDATE profiles SET state_stale = true WHERE id = ?", stale);

        double mergedBefore = registry.get("subscriptions.writes.merged").counter().count();
        ExecutorService senders = Executors.newFixedThreadPool(7);
        List<CompletableFuture<Integer>> held = new ArrayList<>();
        List<CompletableFuture<ExtractableResponse<Response>>> grouped = new ArrayList<>();
        try (Connection lock = Database.connect()) {
            lock.setAutoCommit(false);
            try (PreparedStatement rows = lock.prepareStatement("SELECT usage_count FROM user_feature_usage "
                    + "WHERE profile_id IN (?, ?) AND feature_id = 'weight_entries' FOR UPDATE")) {
                rows.setString(1, holders.get(0));
                rows.setString(2, holders.get(1));
                rows.executeQuery().close();
            }
            try {
                // one consume waits for its counter on each of the two write connections
                for (String holder : holders) {
                    held.add(CompletableFuture.supplyAsync(() -> as(token)
                            .post(UsageResourceTest.usage(holder, "weight_entries") + "/consume").statusCode(), senders));
                }
                Waiting.within(Duration.ofSeconds(10)).until(() -> Database.count("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND datname = current_database()") >= 2);
                // these wait for a connection, then run together
                for (String[] consume : List.of(new String[] { fits, "photos", "2" }, new String[] { full, "photos", "1" },
                        new String[] { bool, "export_csv", "1" }, new String[] { "nobody-" + fits, "photos", "1" },
                        new String[] { stale, "weight_entries", "4" })) {
                    grouped.add(CompletableFuture.supplyAsync(() -> as(token).body(Map.of("amount", Integer.parseInt(consume[2])))
                            .post(UsageResourceTest.usage(consume[0], consume[1]) + "/consume").then().extract(), senders));
                }
                Waiting.within(Duration.ofSeconds(10))
                        .until(() -> registry.get("subscriptions.writes.waiting").gauge().value() == 5.0);
            } finally {
                lock.commit();
            }
        } finally {
            senders.shutdown();
        }
        for (CompletableFuture<Integer> sent : held) {
            assertEquals(200, sent.get(10, TimeUnit.SECONDS));
        }
        ExtractableResponse<Response> consumed = grouped.get(0).get(10, TimeUnit.SECONDS);
        assertEquals(200, consumed.statusCode());
        assertEquals(2, consumed.<Integer> path("used"));
        assertEquals(3, consumed.<Integer> path("remaining"));
        ExtractableResponse<Response> refused = grouped.get(1).get(10, TimeUnit.SECONDS);
        assertEquals(409, refused.statusCode());
        assertEquals("limit_exceeded", refused.path("code"));
        assertEquals(5, refused.<Integer> path("entitlement.used"), "the counter that refused it");
        ExtractableResponse<Response> notMetered = grouped.get(2).get(10, TimeUnit.SECONDS);
        assertEquals(400, notMetered.statusCode());
        assertEquals("not_metered", notMetered.path("code"));
        ExtractableResponse<Response> unknown = grouped.get(3).get(10, TimeUnit.SECONDS);
        assertEquals(404, unknown.statusCode());
        assertEquals("profile_not_found", unknown.path("code"));
        ExtractableResponse<Response> undecided = grouped.get(4).get(10, TimeUnit.SECONDS);
        assertEquals(200, undecided.statusCode(), "run alone once the others had committed");
        assertEquals(7, undecided.<Integer> path("used"), "counted once, from the grants");
        assertEquals(mergedBefore + 3, registry.get("subscriptions.writes.merged").counter().count(),
                "one statement decided three; an unknown profile has no stored state and ran alone as well");

        as(token).get("/api/v1/profiles/" + fits + "/stats").then().statusCode(200).body("photosCount", equalTo(2));
        as(token).get("/api/v1/profiles/" + full + "/entitlements/photos").then().body("used", equalTo(5));
        as(token).get("/api/v1/profiles/" + stale + "/stats").then().statusCode(200).body("weightEntriesCount", equalTo(7));
    }
}
