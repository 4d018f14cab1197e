package com.acme.subscription.support;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every connection of the service's pool held by a transaction that waits, as a job's or an admin's
 * slow transaction may: for tests (in the service's JVM, @QuarkusTest) of what is still answered then.
 */
public final class HeldPool {

    /** What runs while the pool is held. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private HeldPool() {
    }

    /** Runs {@code body} while each connection of the service's pool waits on an advisory lock. */
    public static void whileHeld(Body body) throws Exception {
        Pool pool = Arc.container().instance(Pool.class).get();
        int size = ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.max-size", Integer.class);
        long lock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE); // held as (0, lock) in pg_locks
        List<CompletableFuture<?>> held = new ArrayList<>();
        try (Connection holder = Database.connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + lock + ")");
            try {
                for (int i = 0; i < size; i++) {
                    held.add(pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                            .execute(Tuple.of(lock))).subscribeAsCompletionStage());
                }
                Waiting.within(Duration.ofSeconds(10)).until(() -> Database.count("SELECT count(*) FROM pg_locks "
                        + "WHERE locktype = 'advisory' AND classid = 0 AND objid::bigint = ? AND NOT granted", lock) == size);
                body.run();
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + lock + ")");
            }
        }
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }
}
