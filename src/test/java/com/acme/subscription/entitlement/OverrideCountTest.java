package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * GET /entitlements reads a profile's overrides only when its override_count says it has some
 * (V19__override_count.sql): the count is kept by the database for every change, whoever makes it,
 * so an override is never missed.
 */
@QuarkusTest
class OverrideCountTest {

    @Test
    void anOverrideSetAndRemovedOverHttpIsInTheAnswerForAllFeatures() {
        String id = Profiles.onTier("free");
        all(id).body(photos("limitSource"), equalTo("tier")).body(photos("limit"), equalTo(5));

        asAdmin().body(Map.of("limit", 12)).put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(201);
        all(id).body(photos("limitSource"), equalTo("override")).body(photos("limit"), equalTo(12));
        asAdmin().body(Map.of("limit", 13)).put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(200);
        all(id).body(photos("limit"), equalTo(13));
        assertEquals(1, overrideCount(id));

        asAdmin().delete("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(204);
        all(id).body(photos("limitSource"), equalTo("tier")).body(photos("limit"), equalTo(5));
        assertEquals(0, overrideCount(id));
    }

    @Test
    void anOperatorsStatementsAreCountedToo() {
        String first = Profiles.onTier("free");
        String second = Profiles.onTier("free");
        // one statement for two profiles, two overrides for the first
        Database.update("""
                INSERT INTO user_feature_restrictions (profile_id, feature_id, limit_value)
                VALUES (?, 'photos', 2), (?, 'weight_entries', 3), (?, 'photos', 4)""", first, first, second);
        assertEquals(2, overrideCount(first));
        assertEquals(1, overrideCount(second));
        all(second).body(photos("limitSource"), equalTo("override")).body(photos("limit"), equalTo(4));

        // an override moved to another profile: the second had none left of its own after the delete
        Database.update("DELETE FROM user_feature_restrictions WHERE profile_id = ?", second);
        assertEquals(0, overrideCount(second));
        all(second).body(photos("limitSource"), equalTo("tier"));
        Database.update("UPDATE user_feature_restrictions SET profile_id = ? WHERE profile_id = ? AND feature_id = 'photos'",
                second, first);
        assertEquals(1, overrideCount(first));
        assertEquals(1, overrideCount(second));
        all(second).body(photos("limitSource"), equalTo("override")).body(photos("limit"), equalTo(2));
        all(first).body(photos("limitSource"), equalTo("tier"))
                .body("features.find { it.featureId == 'weight_entries' }.limit", equalTo(3));

        // a change of the limit alone changes no count
        Database.update("UPDATE user_feature_restrictions SET limit_value = 9 WHERE profile_id IN (?, ?)", first, second);
        assertEquals(1, overrideCount(first));
        assertEquals(1, overrideCount(second));
    }

    /** Many connections adding and removing one profile's overrides at once: the count ends exact. */
    @Test
    void concurrentChangesLeaveTheCountExact() throws Exception {
        String id = Profiles.onTier("free");
        List<String> features = Database.query("SELECT id FROM features ORDER BY id")
                .stream().map(row -> (String) row.get("id")).toList();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(features.size());
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (String feature : features) {
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < 10; i++) {
                        Database.update("INSERT INTO user_feature_restrictions (profile_id, feature_id) VALUES (?, ?)",
                                id, feature);
                        Database.update("DELETE FROM user_feature_restrictions WHERE profile_id = ? AND feature_id = ?",
                                id, feature);
                    }
                    Database.update("INSERT INTO user_feature_restrictions (profile_id, feature_id) VALUES (?, ?)",
                            id, feature);
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(features.size(), Database.count("SELECT count(*) FROM user_feature_restrictions WHERE profile_id = ?", id));
        assertEquals(features.size(), overrideCount(id));
    }

    /**
     * Erasing a profile deletes its overrides under the profile's lock. Setting or removing an
     * override takes the profile's lock first too, so the two wait for each other instead of
     * deadlocking over the override and the profile row that counts it (a deadlock would abort one).
     */
    @Test
    void anOverrideChangedWhileItsProfileIsErasedWaitsInsteadOfDeadlocking() throws Exception {
        String id = Profiles.onTier("free");
        asAdmin().body(Map.of("limit", 12)).put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(201);
        try (Connection erasing = Database.connect(); Statement sql = erasing.createStatement()) {
            erasing.setAutoCommit(false);
            sql.execute("SELECT id FROM profiles WHERE id = '" + id + "' FOR UPDATE");
            CompletableFuture<ExtractableResponse<Response>> removal = CompletableFuture
                    .supplyAsync(() -> asAdmin().delete("/api/v1/profiles/" + id + "/overrides/photos").then().extract());
            Waiting.within(Duration.ofSeconds(10)).until(() -> Database.count("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE wait_event_type = 'Lock' AND datname = current_database()") >= 1);
            // what erasing does next: the overrides, then the profile (ON DELETE CASCADE)
            sql.execute("DELETE FROM user_feature_restrictions WHERE profile_id = '" + id + "'");
            sql.execute("DELETE FROM profiles WHERE id = '" + id + "'");
            erasing.commit();
            ExtractableResponse<Response> answer = removal.get();
            assertEquals(404, answer.statusCode(), answer.body().asString());
            assertEquals("profile_not_found", answer.path("code"));
        }
    }

    private static ValidatableResponse all(String id) {
        return as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then().statusCode(200);
    }

    private static String photos(String field) {
        return "features.find { it.featureId == 'photos' }." + field;
    }

    private static long overrideCount(String id) {
        return Database.count("SELECT override_count FROM profiles WHERE id = ?", id);
    }
}
