package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Checks run on the pipelined client, not on the pool (PgPoolConfiguration): they go on being
 * answered while every pooled connection is held by transactions that wait, as a job's or an
 * admin's slow transaction may.
 */
@QuarkusTest
class PipelinedCheckTest {

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolSize;

    @Test
    void checksAreAnsweredWhileEveryPooledConnectionIsHeld() throws Exception {
        String profile = Profiles.onTier("free");
        String token = TestTokens.service();
        long lock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE); // held as (0, lock) in pg_locks
        List<CompletableFuture<?>> held = new ArrayList<>();
        try (Connection holder = Database.connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + lock + ")");
            try {
                for (int i = 0; i < poolSize; i++) {
                    held.add(pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                            .execute(Tuple.of(lock))).subscribeAsCompletionStage());
                }
                Waiting.within(Duration.ofSeconds(10)).until(() -> Database.count("SELECT count(*) FROM pg_locks "
                        + "WHERE locktype = 'advisory' AND classid = 0 AND objid::bigint = ? AND NOT granted", lock) == poolSize);

                int check = CompletableFuture.supplyAsync(() -> as(token)
                        .get("/api/v1/profiles/" + profile + "/entitlements/weight_entries").statusCode())
                        .get(10, TimeUnit.SECONDS);
                int all = CompletableFuture.supplyAsync(() -> as(token)
                        .get("/api/v1/profiles/" + profile + "/entitlements").statusCode())
                        .get(10, TimeUnit.SECONDS);
                assertEquals(200, check, "a check while the pool is held");
                assertEquals(200, all, "all features while the pool is held");
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + lock + ")");
            }
        }
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }
}
