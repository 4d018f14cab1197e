package com.acme.subscription.common.database;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * A replica's own PostgreSQL connections beside the pool: the LISTEN connections (catalog changes,
 * webhook deliveries) and the Kafka publisher's, which holds advisory locks for as long as it lives.
 * Each is kept answering by a {@link ConnectionProbe}.
 */
public final class OwnConnections {

    private static final Logger LOG = Logger.getLogger(OwnConnections.class);

    private OwnConnections() {
    }

    /** The {@code application_name} of a replica's own connection: what pg_stat_activity shows for it. */
    public static String applicationName(String role) {
        return "subscription-service " + role;
    }

    /**
     * Options from the datasource's configuration: its first URL (Quarkus accepts a comma-separated
     * list) and credentials. The role names the connection in pg_stat_activity ({@link #applicationName})
     * and in the postgresql_* metrics, apart from the pool's connections (without a metrics name they
     * would be m__processing_seconds, m__queue_size, ...).
     * <p>
     * A connection that reads nothing for {@code silentFor} is closed: its {@link ConnectionProbe}
     * makes a live database answer far more often, and its {@link #settings} keep its own statements
     * shorter.
     */
    public static PgConnectOptions options(String urls, Optional<String> username, Optional<String> password,
            String role, Duration silentFor) {
        String first = urls.split(",")[0].trim().replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        options.setMetricsName("postgresql|" + role);
        options.addProperty("application_name", applicationName(role));
        // closed by Netty, at the socket: a close by the protocol would wait for the silent database
        options.setReadIdleTimeout((int) Math.max(2, silentFor.toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return options;
    }

    /**
     * What an own connection sets first (SET statements, not startup parameters, which a pooler such
     * as PgBouncer refuses):
     * <ul>
     * <li>no statement of its own runs half as long as {@code silentFor} ({@code statement_timeout}):
     * one waiting for a lock fails instead of costing the connection;</li>
     * <li>PostgreSQL drops the connection of a replica that vanished without closing it within about
     * three times {@code silentFor} (TCP keepalives), and with it the Kafka publisher's claims and
     * a listener's place in the notification queue, instead of after the two hours of the system's
     * default.</li>
     * </ul>
     */
    public static String settings(Duration silentFor) {
        long keepalive = Math.max(1, silentFor.toSeconds());
        return "SET statement_timeout = %d; SET tcp_keepalives_idle = %d; SET tcp_keepalives_interval = %d; "
                .formatted(Math.max(1, silentFor.toMillis() / 2), keepalive, keepalive)
                + "SET tcp_keepalives_count = 2";
    }

    /** Sets a listener's {@link #settings} once it listens (a failure is logged: the listener works without). */
    public static void applySettings(PgConnection connection, Duration silentFor, String role) {
        if (connection == null) {
            return; // lost already; the next one is settled when it listens
        }
        connection.query(settings(silentFor)).execute().onFailure(e -> LOG
                .warnf("Could not set the %s connection's timeouts (%s)", role, e.getMessage()));
    }

    /**
     * Connects the subscriber. It re-establishes lost connections itself, but not a first connect
     * that failed: that is told to {@code failed}, and tried again every {@code retryMillis} while
     * {@code wanted} says the subscriber is still the one in use.
     */
    public static void connect(Vertx vertx, PgSubscriber subscriber, long retryMillis, BooleanSupplier wanted,
            Consumer<Throwable> failed) {
        subscriber.connect().onFailure(e -> {
            failed.accept(e);
            subscriber.close();
            vertx.setTimer(retryMillis, timer -> {
                if (wanted.getAsBoolean()) {
                    connect(vertx, subscriber, retryMillis, wanted, failed);
                }
            });
        });
    }
}
