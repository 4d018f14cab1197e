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

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.HeldPool;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Consumes and releases sent without an Idempotency-Key run on the writes' own connections
 * (PgPoolConfiguration, GroupCommit): not on the pool, so they go on being answered while slow transactions hold
 * every pooled connection; and not on the checks' client, so checks go on being answered while
 * consumes wait for a counter another transaction has locked.
 */
@QuarkusTest
class PipelinedWritesTest {

    @Test
    void consumesAndReleasesWithoutAKeyAreAnsweredWhileEveryPooledConnectionIsHeld() throws Exception {
        String profile = Profiles.onTier("free");
        String token = TestTokens.service();
        HeldPool.whileHeld(() -> {
            int consumed = CompletableFuture.supplyAsync(() -> as(token).body(Map.of("amount", 3))
                    .post(UsageResourceTest.usage(profile, "photos") + "/consume").then().statusCode(200)
                    .extract().<Integer> path("used")).get(10, TimeUnit.SECONDS);
            int released = CompletableFuture.supplyAsync(() -> as(token).body(Map.of("amount", 1))
                    .post(UsageResourceTest.usage(profile, "photos") + "/release").then().statusCode(200)
                    .extract().<Integer> path("used")).get(10, TimeUnit.SECONDS);
            assertEquals(3, consumed, "a consume while the pool is held");
            assertEquals(2, released, "a release while the pool is held");
        });
    }

    @Test
    void checksAreAnsweredWhileConsumesWaitForALockedCounter() throws Exception {
        String profile = Profiles.onTier("free");
        String token = TestTokens.service();
        String consume = UsageResourceTest.usage(profile, "weight_entries") + "/consume";
        as(token).post(consume).then().statusCode(200); // the counter row exists: 1
        int waiting = 16; // from many threads, so that they reach every connection of the client
        ExecutorService senders = Executors.newFixedThreadPool(waiting);
        List<CompletableFuture<Integer>> consumes = new ArrayList<>();
        try (Connection holder = Database.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT usage_count FROM user_feature_usage "
                    + "WHERE profile_id = ? AND feature_id = 'weight_entries' FOR UPDATE")) {
                lock.setString(1, profile);
                lock.executeQuery().close();
            }
            try {
                for (int i = 0; i < waiting; i++) {
                    consumes.add(CompletableFuture.supplyAsync(() -> as(token).post(consume).statusCode(), senders));
                }
                Waiting.within(Duration.ofSeconds(10)).until(() -> Database.count("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND datname = current_database()") >= 1);

                int check = CompletableFuture.supplyAsync(() -> as(token)
                        .get("/api/v1/profiles/" + profile + "/entitlements/weight_entries").statusCode())
                        .get(10, TimeUnit.SECONDS);
                assertEquals(200, check, "a check while consumes wait for the counter");
            } finally {
                holder.commit();
            }
        } finally {
            senders.shutdown();
        }
        for (CompletableFuture<Integer> sent : consumes) {
            assertEquals(200, sent.get(10, TimeUnit.SECONDS), "each consume once the counter is free");
        }
        as(token).get("/api/v1/profiles/" + profile + "/entitlements/weight_entries").then().statusCode(200)
                .body("used", equalTo(1 + waiting));
    }
}
