package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.common.error.DatabaseUnavailable;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Waiting;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * The pool connects to every host of a multi-host datasource URL, in turn, as Quarkus' own does:
 * with a dead first host, the next connection goes to the second one. (Without a database of its
 * own: the test database is the live host.)
 */
class PgPoolConfigurationTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyHostOfTheUrlIsUsedInTurn() throws Exception {
        PgConnectOptions dead = options(deadPort());
        PgConnectOptions live = options(PgConnectOptions.fromUri(reactiveUrl()).getPort());
        List<PgConnectOptions> hosts = List.of(dead, live);
        // one connection at a time: each query that finds none opens the next one
        Pool pool = new PgPoolConfiguration(256, 1, 1, 64, 12).create(input(hosts, new PoolOptions().setMaxSize(1)));
        try {
            boolean first = succeeds(pool.query("SELECT 1").execute());
            boolean second = succeeds(pool.query("SELECT 1").execute());
            assertFalse(first, "the first connection goes to the first host, which is dead");
            assertTrue(second, "the second connection goes to the second host");
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A statement that gets no connection fails once. With a connection timeout, Vert.x 4.5 would
     * fail it a second time when that timeout is over, and report the IllegalStateException ("Result
     * is already complete") to the Vert.x exception handler, which Quarkus logs as an ERROR.
     */
    @Test
    void aStatementThatGetsNoConnectionFailsOnce() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        vertx.exceptionHandler(uncaught::add);
        PoolOptions timeout = new PoolOptions().setMaxSize(1).setConnectionTimeout(100)
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        Pool pool = new PgPoolConfiguration(256, 1, 1, 64, 12).create(input(List.of(options(deadPort())), timeout));
        try {
            assertFalse(succeeds(pool.query("SELECT 1").execute()), "the only host is dead");
            Waiting.within(Duration.ofSeconds(3)).during(Duration.ofMillis(500))
                    .untilAsserted(() -> assertEquals(List.of(), uncaught));
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Behind a database that stops answering, the connections stay busy: a bounded number of
     * statements wait for one, and the next fails at once, as an outage (503), instead of joining
     * a queue that nothing limits once the connection timeout is gone.
     */
    @Test
    void statementsBeyondTheWaitQueueFailAtOnce() throws Exception {
        int live = PgConnectOptions.fromUri(reactiveUrl()).getPort();
        Pool pool = new PgPoolConfiguration(1, 1, 1, 64, 12).create(input(List.of(options(live)), new PoolOptions().setMaxSize(1)));
        try {
            SqlConnection busy = pool.getConnection().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Future<?> waiting = pool.query("SELECT 1").execute();
            Throwable refused = pool.query("SELECT 1").execute().toCompletionStage().toCompletableFuture()
                    .handle((rows, failure) -> failure).get(10, TimeUnit.SECONDS);
            assertInstanceOf(ConnectionPoolTooBusyException.class, refused);
            assertTrue(DatabaseUnavailable.isCause(refused));
            assertFalse(waiting.isComplete(), "the statement within the bound waits for the connection");
            busy.close();
            assertTrue(succeeds(waiting));
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The requests', the checks' and the writes' connections each apply the session settings
     * before their first statement: the check interval and TCP keepalives that end a vanished
     * replica's statement (and free its locks) are on every connection that can hold one.
     */
    @Test
    void everyKindOfConnectionAppliesTheSessionSettings() throws Exception {
        int live = PgConnectOptions.fromUri(reactiveUrl()).getPort();
        PgPoolConfiguration configuration = new PgPoolConfiguration(256, 1, 1, 64, 12);
        Pool pool = configuration.create(input(List.of(options(live)), new PoolOptions().setMaxSize(1)));
        try {
            List<String> expected = List.of("1s", "10", "10", "2");
            assertEquals(expected, settings(io.vertx.mutiny.sqlclient.Pool.newInstance(pool)), "requests");
            assertEquals(expected, settings(configuration.pipelined(pool)), "checks");
            assertEquals(expected, configuration.writes(pool, new SimpleMeterRegistry())
                    .run("settings", PgPoolConfigurationTest::settingsOf).await().atMost(Duration.ofSeconds(10)), "writes");
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> settings(io.vertx.mutiny.sqlclient.SqlClient client) {
        return settingsOf(client).await().atMost(Duration.ofSeconds(10));
    }

    private static Uni<List<String>> settingsOf(io.vertx.mutiny.sqlclient.SqlClient client) {
        return client.query("SELECT current_setting('client_connection_check_interval'), current_setting('tcp_keepalives_idle'), "
                + "current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count')").execute()
                .map(rows -> {
                    io.vertx.mutiny.sqlclient.Row row = rows.iterator().next();
                    return List.of(row.getString(0), row.getString(1), row.getString(2), row.getString(3));
                });
    }

    private static String reactiveUrl() {
        Map<String, String> database = Database.properties();
        return database.get("quarkus.datasource.jdbc.url").substring("jdbc:".length());
    }

    private static PgConnectOptions options(int port) {
        Map<String, String> database = Database.properties();
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl()).setPort(port)
                .setUser(database.get("quarkus.datasource.username"))
                .setPassword(database.get("quarkus.datasource.password"));
        options.setConnectTimeout(2000);
        return options;
    }

    /** A port nobody listens on: taken, then given back. */
    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean succeeds(Future<?> result) throws InterruptedException {
        try {
            result.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private PgPoolCreator.Input input(List<PgConnectOptions> hosts, PoolOptions poolOptions) {
        return new PgPoolCreator.Input() {
            @Override
            public Vertx vertx() {
                return vertx;
            }

            @Override
            public PoolOptions poolOptions() {
                return poolOptions;
            }

            @Override
            public List<PgConnectOptions> pgConnectOptionsList() {
                return hosts;
            }
        };
    }
}
