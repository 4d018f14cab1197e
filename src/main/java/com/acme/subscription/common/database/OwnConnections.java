package com.acme.subscription.common.database;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * A replica's own PostgreSQL connections beside the pool: the LISTEN connections (catalog changes,
 * webhook deliveries) and the Kafka publisher's, which holds advisory locks for as long as it lives.
 */
public final class OwnConnections {

    private OwnConnections() {
    }

    /**
     * Options from the datasource's configuration: its first URL (Quarkus accepts a comma-separated
     * list) and credentials. The metrics name sets them apart from the pool's connections in the
     * postgresql_* metrics; without one they would be m__processing_seconds, m__queue_size, ...
     */
    public static PgConnectOptions options(String urls, Optional<String> username, Optional<String> password,
            String metricsName) {
        String first = urls.split(",")[0].trim().replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        options.setMetricsName(metricsName);
        return options;
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
