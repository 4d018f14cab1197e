package com.acme.subscription.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Parallel;
import com.acme.subscription.support.Parallel.Result;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Consumes really run in parallel: the counter never passes the limit and no success is lost. */
@QuarkusTest
class ConcurrentConsumeTest {

    private static final int REQUESTS = 200;

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    /** Fires all consumes at once and waits for every answer. */
    static List<Result> consumeConcurrently(String profileId, String feature, List<Integer> amounts) throws Exception {
        String token = TestTokens.service();
        String path = "/api/v1/profiles/" + profileId + "/usage/" + feature + "/consume";
        return Parallel.post(amounts.stream().map(amount -> new Parallel.Call(token, path, "{\"amount\": " + amount + "}"))
                .toList());
    }

    static long counter(String profileId, String feature) {
        return Database.count("SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = ?",
                profileId, feature);
    }

    @Test
    void twoHundredConsumesOnALimitOf30GiveExactly30() throws Exception {
        String id = Profiles.onTier("free");
        List<Result> results = consumeConcurrently(id, "weight_entries", java.util.Collections.nCopies(REQUESTS, 1));
        Map<Integer, Long> byStatus = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertEquals(Map.of(200, 30L, 409, 170L), byStatus);
        results.stream().filter(r -> r.status() == 409).forEach(r -> {
            assertTrue(r.body().contains("\"code\":\"limit_exceeded\""), r.body());
            assertTrue(r.body().contains("\"entitlement\":{\"featureId\":\"weight_entries\""), r.body());
        });
        assertEquals(30L, counter(id, "weight_entries"));
        assertEquals(30L, Database.count("SELECT weight_entries_count FROM user_stats WHERE profile_id = ?", id));
    }

    /**
     * Consumes of many profiles at once share commits (GroupCommit): each profile's counter and
     * user_stats still count exactly its own successes, and each refusal is a real one.
     */
    @Test
    void consumesOfManyProfilesAtOnceCountEachProfileExactly() throws Exception {
        String token = TestTokens.service();
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            profiles.add(Profiles.onTier("free"));
        }
        List<Parallel.Call> calls = new ArrayList<>();
        // 25 per profile, about half of them of 1 and half of 2: 37 wanted on a limit of 30
        for (int i = 0; i < REQUESTS; i++) {
            String path = "/api/v1/profiles/" + profiles.get(i % profiles.size()) + "/usage/weight_entries/consume";
            calls.add(new Parallel.Call(token, path, "{\"amount\": " + (i < REQUESTS / 2 ? 1 : 2) + "}"));
        }
        List<Result> results = Parallel.post(calls);
        for (int p = 0; p < profiles.size(); p++) {
            long consumed = 0;
            for (int i = p; i < REQUESTS; i += profiles.size()) {
                int status = results.get(i).status();
                assertTrue(status == 200 || status == 409, "status " + status + ": " + results.get(i).body());
                consumed += status == 200 ? (i < REQUESTS / 2 ? 1 : 2) : 0;
            }
            String id = profiles.get(p);
            assertTrue(consumed >= 29 && consumed <= 30, "a refusal only when less than 2 was left: " + consumed);
            assertEquals(consumed, counter(id, "weight_entries"), id);
            assertEquals(consumed, Database.count("SELECT weight_entries_count FROM user_stats WHERE profile_id = ?", id));
        }
    }

    @Test
    void amountsAboveOneNeverOvershootPartially() throws Exception {
        String id = Profiles.onTier("free");
        List<Result> results = consumeConcurrently(id, "nutrition_entries", java.util.Collections.nCopies(REQUESTS, 7));
        assertEquals(4L, results.stream().filter(r -> r.status() == 200).count());
        assertEquals(196L, results.stream().filter(r -> r.status() == 409).count());
        assertEquals(28L, counter(id, "nutrition_entries"));
    }

    @Test
    void mixedAmountsSumToExactlyWhatSucceeded() throws Exception {
        String id = Profiles.onTier("free");
        List<Integer> amounts = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            amounts.add(1 + i % 5);
        }
        List<Result> results = consumeConcurrently(id, "activity_entries", amounts);
        long consumed = 0;
        for (int i = 0; i < REQUESTS; i++) {
            int status = results.get(i).status();
            assertTrue(status == 200 || status == 409, "status " + status);
            if (status == 200) {
                consumed += amounts.get(i);
            }
        }
        assertEquals(consumed, counter(id, "activity_entries"));
        assertTrue(consumed <= 30, "never past the limit: " + consumed);
        // every refusal was a real one: room only shrinks, so what is left could not take its amount either
        long left = 30 - consumed;
        for (int i = 0; i < REQUESTS; i++) {
            if (results.get(i).status() == 409) {
                assertTrue(amounts.get(i) > left, "refused amount " + amounts.get(i) + " with " + left + " left");
            }
        }
    }

    @Test
    void everyRefusalShowsTheCounterThatRefusedIt() throws Exception {
        for (int amount : new int[] { 7, 1 }) {
            String id = Profiles.onTier("free");
            List<Result> results = consumeConcurrently(id, "nutrition_entries",
                    java.util.Collections.nCopies(REQUESTS, amount));
            long refused = 0;
            for (Result result : results) {
                if (result.status() != 409) {
                    assertEquals(200, result.status(), result.body());
                    continue;
                }
                refused++;
                JsonPath entitlement = JsonPath.from(result.body()).setRootPath("entitlement");
                int limit = entitlement.getInt("limit");
                long used = entitlement.getLong("used");
                long remaining = entitlement.getLong("remaining");
                assertEquals(30, limit, result.body());
                assertEquals(false, entitlement.getBoolean("allowed"), result.body());
                assertEquals("limit_reached", entitlement.getString("reason"), result.body());
                assertEquals(limit - used, remaining, result.body());
                assertTrue(remaining < amount, result.body());
                assertTrue(used <= limit, result.body());
            }
            assertEquals(REQUESTS - 30 / amount, refused);
        }
    }

    /**
     * The race made certain: the statement's snapshot sees room (25 of 30), but the counter row is
     * locked by a transaction that raises it to 30; once that commits, the consume is refused on
     * the latest row and its answer shows that row, not the snapshot.
     */
    @Test
    void aConsumeThatWaitedForTheCounterShowsTheCounterThatRefusedIt() throws Exception {
        String id = Profiles.onTier("free");
        consumeConcurrently(id, "nutrition_entries", List.of(25));
        try (Connection other = DriverManager.getConnection(Database.properties().get("quarkus.datasource.jdbc.url"),
                Database.properties().get("quarkus.datasource.username"),
                Database.properties().get("quarkus.datasource.password"))) {
            other.setAutoCommit(false);
            try (PreparedStatement raise = other.prepareStatement(
                    "UPDATE user_feature_usage SET usage_count = 30 WHERE profile_id = ? AND feature_id = 'nutrition_entries'")) {
                raise.setString(1, id);
                assertEquals(1, raise.executeUpdate());
            }
            CompletableFuture<List<Result>> consume = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumeConcurrently(id, "nutrition_entries", List.of(5));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the consume's statement has taken its snapshot and waits for the row (its text is longer than
            // pg_stat_activity keeps, so it is found by what it waits for)
            Waiting.within(Duration.ofSeconds(30)).until(() -> Database.count("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'transactionid'
                    """) == 1);
            other.commit();

            Result result = consume.get(30, TimeUnit.SECONDS).get(0);
            assertEquals(409, result.status(), result.body());
            JsonPath entitlement = JsonPath.from(result.body()).setRootPath("entitlement");
            assertEquals(false, entitlement.getBoolean("allowed"), result.body());
            assertEquals(30L, entitlement.getLong("used"), result.body());
            assertEquals(0L, entitlement.getLong("remaining"), result.body());
            assertEquals("limit_reached", entitlement.getString("reason"), result.body());
        }
        assertEquals(30L, counter(id, "nutrition_entries"));
    }
}
