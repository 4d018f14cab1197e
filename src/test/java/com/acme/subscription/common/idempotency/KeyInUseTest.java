package com.acme.subscription.common.idempotency;

import static com.acme.subscription.support.ApiTest.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Parallel;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TcpProxy;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A key is "in use" exactly as long as the attempt that holds it: concurrent duplicates never do
 * the work twice, and when the attempt dies with the database, a retry is served as soon as the
 * database is back, not when some lease runs out.
 */
@QuarkusTest
class KeyInUseTest {

    /** The consume waiting for the counter row that the test holds. */
    private static final String WAITING_CONSUME = """
            SELECT %s FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
            """;

    @AfterEach
    void restore() {
        TcpProxy.switchDatabase(true);
    }

    @Test
    void duplicatesSentAtTheSameMomentDoTheWorkOncePerKey() throws Exception {
        String id = Profiles.onTier("basic");
        String path = "/api/v1/profiles/" + id + "/usage/weight_entries/consume";
        List<Parallel.Call> calls = new ArrayList<>();
        for (int copy = 0; copy < 6; copy++) {
            for (int key = 0; key < 8; key++) {
                calls.add(new Parallel.Call(TestTokens.service(), path, "{\"amount\": 1}", "same-moment-" + key));
            }
        }
        List<Parallel.Result> results = Parallel.post(calls);

        Map<Integer, Long> byStatus = results.stream()
                .collect(Collectors.groupingBy(Parallel.Result::status, Collectors.counting()));
        assertTrue(Set.of(200, 409).containsAll(byStatus.keySet()), byStatus.toString());
        results.stream().filter(result -> result.status() == 409).forEach(result -> assertEquals(
                "idempotency_key_in_use", JsonPath.from(result.body()).getString("code"), result.body()));
        // one consume per key, whatever the interleaving
        assertEquals(8L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'weight_entries'", id));
        // each key answered one counter value, first time and replayed alike: 1 to 8 in some order
        Map<String, Set<Integer>> usedByKey = new TreeMap<>();
        for (int i = 0; i < calls.size(); i++) {
            if (results.get(i).status() == 200) {
                usedByKey.computeIfAbsent(calls.get(i).idempotencyKey(), key -> new TreeSet<>())
                        .add(JsonPath.from(results.get(i).body()).getInt("used"));
            }
        }
        assertEquals(8, usedByKey.size(), usedByKey.toString());
        assertTrue(usedByKey.values().stream().allMatch(used -> used.size() == 1), usedByKey.toString());
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8),
                usedByKey.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
    }

    /**
     * A replica that dies while its attempt waits for a lock (here: its connections cut) does not leave
     * the key held until that lock is released: PostgreSQL sees within a second that the client is gone
     * and ends the waiting statement, which frees the key.
     */
    /** A transaction holding profile {@code id}'s photos counter, as a slow writer would; the caller closes it. */
    private static Connection holdTheCounter(String id) throws Exception {
        Connection holder = Database.connect();
        holder.setAutoCommit(false);
        try (PreparedStatement lock = holder.prepareStatement(
                "SELECT 1 FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos' FOR UPDATE")) {
            lock.setString(1, id);
            lock.executeQuery().close();
        }
        return holder;
    }

    /** A keyed consume sent while the counter is held: it holds its key and waits for the counter. */
    private CompletableFuture<Integer> attemptWaitingForTheCounter(String path) {
        CompletableFuture<Integer> attempt = CompletableFuture.supplyAsync(() -> consume(path).statusCode());
        Waiting.within(Duration.ofSeconds(30)).until(() -> Database.count(WAITING_CONSUME.formatted("count(*)")) == 1);
        return attempt;
    }

    @Test
    void anAttemptWhoseReplicaIsGoneStopsWaitingAtOnce() throws Exception {
        String id = Profiles.onTier("free");
        String path = "/api/v1/profiles/" + id + "/usage/photos/consume";
        as(TestTokens.service()).body(Map.of("amount", 1)).post(path).then().statusCode(200).body("used", equalTo(1));

        try (Connection holder = holdTheCounter(id)) {
            CompletableFuture<Integer> first = attemptWaitingForTheCounter(path);
            TcpProxy.switchDatabase(false);
            assertEquals(503, first.get(30, TimeUnit.SECONDS));
            // the counter's lock is still held: only PostgreSQL's check of the client ends the wait
            Waiting.within(Duration.ofSeconds(10))
                    .until(() -> Database.count(WAITING_CONSUME.formatted("count(*)")) == 0);
            holder.rollback();
        }
        assertEquals(1L, used(id));
    }

    @Test
    void aKeyWhoseAttemptDiedWithTheDatabaseIsServedAtOnceWhenTheDatabaseIsBack() throws Exception {
        String id = Profiles.onTier("free");
        String path = "/api/v1/profiles/" + id + "/usage/photos/consume";
        as(TestTokens.service()).body(Map.of("amount", 1)).post(path).then().statusCode(200).body("used", equalTo(1));

        try (Connection holder = holdTheCounter(id)) {
            CompletableFuture<Integer> first = attemptWaitingForTheCounter(path);
            as(TestTokens.service()).header("Idempotency-Key", "crash-1").body(Map.of("amount", 2)).post(path)
                    .then().statusCode(409).body("code", equalTo("idempotency_key_in_use"));

            // the database is lost to the service, and the attempt's session with it
            TcpProxy.switchDatabase(false);
            Database.query(WAITING_CONSUME.formatted("pg_terminate_backend(pid)"));
            assertEquals(503, first.get(30, TimeUnit.SECONDS));
            holder.rollback();
        }
        assertEquals(1L, used(id));

        TcpProxy.switchDatabase(true);
        // retried at once: the only answer to wait for is the service reconnecting (503), never 409
        List<Integer> answers = new ArrayList<>();
        Waiting.within(Duration.ofSeconds(10)).until(() -> {
            Response retry = consume(path);
            answers.add(retry.statusCode());
            return retry.statusCode() != 503;
        });
        Response served = consume(path);
        assertEquals(200, answers.get(answers.size() - 1), answers.toString());
        assertEquals(List.of(), answers.stream().filter(status -> status != 503 && status != 200).toList());
        assertEquals(3, served.jsonPath().getInt("used"));
        assertEquals("true", served.header("Idempotent-Replayed"));
        assertEquals(3L, used(id));
    }

    private static Response consume(String path) {
        return as(TestTokens.service()).header("Idempotency-Key", "crash-1").body(Map.of("amount", 2)).post(path);
    }

    private static long used(String id) {
        return Database.count("SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'",
                id);
    }
}
