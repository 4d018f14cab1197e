package com.acme.subscription.common;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.database.OwnConnections;
import com.acme.subscription.common.database.Pipelined;
import com.acme.subscription.common.database.GroupCommit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * The datasource's pool as Quarkus configures it, with these changes.
 * <p>
 * The statements of the hot paths (a check, a consume) are several kB long, past Vert.x' default
 * limit of 2048 characters for the prepared-statement cache (switched on in application.properties),
 * so they would never be cached: the limit is raised.
 * <p>
 * The pool has no connection timeout. Since Vert.x 4.5.23 every statement run on the pool itself
 * ({@code pool.query}, {@code pool.preparedQuery}) starts a timer of that timeout (30 s by default)
 * and stops it only once it has a connection. When it gets none because the database cannot be
 * reached, the statement fails at once, and 30 s later its timer fails it a second time, which
 * Vert.x logs as an uncaught {@code IllegalStateException: Result is already complete}: one ERROR
 * per statement tried during an outage (eclipse-vertx/vertx-sql-client#1706, still open for Vert.x
 * 4.5.34; no Quarkus release up to 3.39 has a fix). Without a timeout no timer is started
 * (OutageLoggingTest). What the timeout bounded was the wait for a connection while every one is
 * busy: when the database refuses connections or closes them, waits fail at once all the same;
 * only a database that stops answering without closing them now keeps requests waiting until
 * their connections fail (the health check and the 503 probe bound their own waits).
 * Set a timeout here again once a Vert.x release stops the timer on failure too.
 * <p>
 * What bounds the waiting instead is the wait queue: at most
 * {@code subscriptions.database.max-waiting-statements} statements wait for a connection; the
 * next one fails at once (ConnectionPoolTooBusyException), which the API answers with 503. Behind
 * a database that stops answering, a bounded number of requests wait, and the rest are told at once.
 * <p>
 * Its connections do not register the two gauges Quarkus gives every new database connection,
 * postgresql.queue.size and postgresql.current (tag clientType=sql). Micrometer keeps one gauge per
 * name and tags: from the second connection on, the registration is ignored with a WARN ("This Gauge
 * has been already registered", quarkusio/quarkus#47504), and the gauge goes on reporting the first
 * connection only, even once it is closed. The pool's own series report the same for the whole pool
 * (sql_pool_queue_size, sql_pool_active); the client's timers and counters
 * (postgresql_processing_seconds, ...) add up every connection and stay. The filter is put on the
 * global registry, where Quarkus' Vert.x metrics register, when the pool is made: its first
 * connection can open before Quarkus applies MeterFilter beans (Hibernate Reactive reads the
 * database version at start).
 * <p>
 * The pool connects to every host of the datasource URL (a comma-separated list), taking them in
 * turn, as Quarkus' own pool does.
 * <p>
 * Beside the pool it makes two sets of connections of their own, on the same options. The
 * {@link Pipelined} client serves the checks, single statements that read: where a connection of the
 * pool runs one statement at a time, a connection of this client sends the next statement before the
 * answer to the previous one is back (up to the pipelining limit, 256 by default). PostgreSQL then
 * reads several statements per wake-up and the service several answers per read; on 2 cores,
 * alternating runs gave 55 % more checks/s than the pool on average (bench/README.md, "Pipelined
 * checks"). The writes' connections serve consumes and releases sent without an Idempotency-Key, in
 * groups that share one commit ({@link GroupCommit}, bench/README.md, "Group commit"), each group's
 * statements pipelined. A statement behind a commit on the same connection waits for that commit's
 * flush, so the checks do not share the writes' connections. Transactions stay on the pool.
 * <p>
 * Every connection of the three is named in pg_stat_activity ({@code subscription-service requests},
 * {@code checks}, {@code writes}) and applies {@link #SESSION_SETTINGS} before it serves.
 */
@Singleton
public class PgPoolConfiguration implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 65_536;

    static final MeterFilter NO_CONNECTION_GAUGES = MeterFilter
            .deny(id -> id.getType() == Meter.Type.GAUGE && "sql".equals(id.getTag("clientType")));

    /** Set apart in the sql_pool_* and postgresql_* metrics. */
    static final String PIPELINED_NAME = "pipelined";
    static final String PIPELINED_WRITES_NAME = "pipelined-writes";

    private static final Logger LOG = Logger.getLogger(PgPoolConfiguration.class);

    /** application_name of the pool's, the checks' and the writes' connections ({@link #named}). */
    static final String REQUESTS_ROLE = "requests";
    static final String CHECKS_ROLE = "checks";
    static final String WRITES_ROLE = "writes";

    private final int maxWaitingStatements;
    private final int pipelinedConnections;
    private final int pipelinedWriteConnections;
    private final int writeGroupSize;
    private final int secondWriteGroupAt;
    private volatile SqlClient pipelined;
    private volatile Pool pipelinedWrites;

    @Inject
    public PgPoolConfiguration(SubscriptionsConfig config) {
        this(config.database().maxWaitingStatements(), config.database().pipelinedConnections(),
                config.database().pipelinedWriteConnections(), config.database().writeGroupSize(),
                config.database().secondWriteGroupAt());
    }

    PgPoolConfiguration(int maxWaitingStatements, int pipelinedConnections, int pipelinedWriteConnections,
            int writeGroupSize, int secondWriteGroupAt) {
        this.maxWaitingStatements = maxWaitingStatements;
        this.pipelinedConnections = pipelinedConnections;
        this.pipelinedWriteConnections = pipelinedWriteConnections;
        this.writeGroupSize = writeGroupSize;
        this.secondWriteGroupAt = secondWriteGroupAt;
    }

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options -> options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        PoolOptions poolOptions = new PoolOptions(input.poolOptions()).setConnectionTimeout(0)
                .setMaxWaitQueueSize(maxWaitingStatements);
        Metrics.globalRegistry.config().meterFilter(NO_CONNECTION_GAUGES);
        pipelined = PgBuilder.client().with(own(poolOptions, pipelinedConnections, PIPELINED_NAME))
                .connectingTo(own(input, PIPELINED_NAME, CHECKS_ROLE)).withConnectHandler(applySettings(CHECKS_ROLE))
                .using(input.vertx()).build();
        pipelinedWrites = PgBuilder.pool().with(own(poolOptions, pipelinedWriteConnections, PIPELINED_WRITES_NAME))
                .connectingTo(own(input, PIPELINED_WRITES_NAME, WRITES_ROLE)).withConnectHandler(applySettings(WRITES_ROLE))
                .using(input.vertx()).build();
        return PgBuilder.pool()
                .with(poolOptions)
                .connectingTo(input.pgConnectOptionsList().stream()
                        .<SqlConnectOptions> map(options -> named(options, REQUESTS_ROLE)).toList())
                .withConnectHandler(applySettings(REQUESTS_ROLE))
                .using(input.vertx())
                .build();
    }

    /**
     * What a new connection sets before it serves (SET statements, not startup parameters, which a
     * pooler such as PgBouncer refuses). While a statement runs, PostgreSQL looks every second whether
     * the replica is still there ({@code client_connection_check_interval}), and TCP
     * keepalives tell it when a replica vanished without closing: the statement of a killed replica
     * stops at once instead of holding its locks (an Idempotency-Key among them) until it ends; one
     * behind a vanished host within about 30 s (10 s idle, two probes 10 s apart) instead of the two
     * hours of the system's default.
     */
    static final List<String> SESSION_SETTINGS = List.of("SET client_connection_check_interval = 1000",
            "SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 10", "SET tcp_keepalives_count = 2");

    /** Each setting apart: one that the server refuses (PostgreSQL before 14 has no check interval) costs only itself. */
    private static Handler<SqlConnection> applySettings(String role) {
        return connection -> {
            Future<Void> applied = Future.succeededFuture();
            for (String setting : SESSION_SETTINGS) {
                applied = applied.compose(previous -> connection.query(setting).execute().<Void> mapEmpty()
                        .recover(refused -> {
                            LOG.warnf("A %s connection could not %s (%s)", role, setting, refused.getMessage());
                            return Future.succeededFuture();
                        }));
            }
            applied.onComplete(done -> connection.close()); // back to its pool
        };
    }

    /** A copy named {@code subscription-service <role>} in pg_stat_activity, unless it was named otherwise. */
    private static PgConnectOptions named(PgConnectOptions options, String role) {
        // the copy constructor leaves out what Quarkus sets from use-layer7-proxy (PgBouncer, pgpool)
        PgConnectOptions named = new PgConnectOptions(options).setUseLayer7Proxy(options.getUseLayer7Proxy());
        String current = named.getProperties().get("application_name");
        if (current == null || current.equals(PgConnectOptions.DEFAULT_PROPERTIES.get("application_name"))) {
            named.addProperty("application_name", OwnConnections.applicationName(role));
        }
        return named;
    }

    private static PoolOptions own(PoolOptions poolOptions, int connections, String name) {
        return new PoolOptions(poolOptions).setMaxSize(connections).setShared(false).setName(name);
    }

    private static List<SqlConnectOptions> own(Input input, String name, String role) {
        return input.pgConnectOptionsList().stream()
                .<SqlConnectOptions> map(options -> named(options, role).setMetricsName("postgresql|" + name))
                .toList();
    }

    /** The checks' pipelined client. */
    @Produces
    @Singleton
    @Pipelined
    io.vertx.mutiny.sqlclient.SqlClient pipelined(Pool pool) {
        return madeWith(pool, () -> io.vertx.mutiny.sqlclient.SqlClient.newInstance(pipelined));
    }

    /** The groups of consumes and releases without an Idempotency-Key, on the writes' connections. */
    @Produces
    @Singleton
    GroupCommit writes(Pool pool, MeterRegistry registry) {
        return madeWith(pool, () -> new GroupCommit(io.vertx.mutiny.sqlclient.Pool.newInstance(pipelinedWrites),
                pipelinedWriteConnections, writeGroupSize, maxWaitingStatements, secondWriteGroupAt, registry));
    }

    /**
     * The checks' client and the writes' connections are made by {@link #create} together with the
     * pool, and Quarkus makes the pool on its first use: the pool is used first, then they are read.
     */
    private static <T> T madeWith(Pool pool, Supplier<T> made) {
        pool.size();
        return made.get();
    }

    void close(@Disposes @Pipelined io.vertx.mutiny.sqlclient.SqlClient client) {
        client.getDelegate().close();
    }

    void closeWrites(@Disposes GroupCommit writes) {
        pipelinedWrites.close();
    }
}
