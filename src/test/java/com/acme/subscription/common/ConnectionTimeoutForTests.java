package com.acme.subscription.common;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Hands the service's pool ({@link PgPoolConfiguration}) pool options whose connection timeout is
 * {@value #PROPERTY} instead of Vert.x' 30 s, when a test profile sets it, so that a test sees within a
 * second what a timer of that timeout does. Without the property the options go through unchanged.
 * (A decorator, because Quarkus allows a single PgPoolCreator bean.)
 */
@Decorator
@Priority(1)
public class ConnectionTimeoutForTests implements PgPoolCreator {

    public static final String PROPERTY = "test.pool.connection-timeout";

    private final PgPoolCreator service;
    private final Optional<Duration> timeout;

    @Inject
    public ConnectionTimeoutForTests(@Delegate PgPoolCreator service,
            @ConfigProperty(name = PROPERTY) Optional<Duration> timeout) {
        this.service = service;
        this.timeout = timeout;
    }

    @Override
    public Pool create(Input input) {
        if (timeout.isEmpty()) {
            return service.create(input);
        }
        PoolOptions shortened = new PoolOptions(input.poolOptions())
                .setConnectionTimeout((int) timeout.get().toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return service.create(new Input() {
            @Override
            public Vertx vertx() {
                return input.vertx();
            }

            @Override
            public PoolOptions poolOptions() {
                return shortened;
            }

            @Override
            public List<PgConnectOptions> pgConnectOptionsList() {
                return input.pgConnectOptionsList();
            }
        });
    }
}
