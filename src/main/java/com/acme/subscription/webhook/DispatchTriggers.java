package com.acme.subscription.webhook;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.database.ConnectionProbe;
import com.acme.subscription.common.database.OwnConnections;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * What starts the dispatcher: the schedule ({@code subscriptions.webhooks.every}; it also picks
 * up retries that came due), and every commit that queued deliveries, announced by PostgreSQL on
 * {@value #CHANNEL} to a LISTEN connection of this replica, so an event normally leaves within a
 * second. Events that no endpoint wants (the usual case of a busy consume path) wake nobody.
 */
@ApplicationScoped
public class DispatchTriggers {

    public static final String CHANNEL = "deliveries_queued";

    /** Its connection's role ({@link OwnConnections#applicationName}). */
    public static final String ROLE = "webhook-listener";

    private static final Logger LOG = Logger.getLogger(DispatchTriggers.class);

    private final WebhookDispatcher dispatcher;
    private final Vertx vertx;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile PgSubscriber subscriber;
    private volatile ConnectionProbe probe;

    public DispatchTriggers(WebhookDispatcher dispatcher, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.dispatcher = dispatcher;
        this.vertx = vertx;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    @Scheduled(identity = "webhook-dispatch", every = "${subscriptions.webhooks.every}",
            delayed = "${subscriptions.jobs.initial-delay}", concurrentExecution = ConcurrentExecution.SKIP)
    void scheduled() {
        dispatcher.wake();
    }

    void start(@Observes StartupEvent event, SubscriptionsConfig config) {
        if (url.isEmpty() || !config.webhooks().listen()) {
            return;
        }
        long retryMillis = 1000;
        PgConnectOptions options = OwnConnections.options(url.get(), username, password, ROLE,
                config.database().listenProbeTimeout());
        PgSubscriber created = PgSubscriber.subscriber(vertx.getDelegate(), options)
                .reconnectPolicy(attempt -> Math.min(retryMillis, 100L * (attempt + 1)));
        created.channel(CHANNEL)
                .subscribeHandler(v -> {
                    OwnConnections.applySettings(created.actualConnection(), config.database().listenProbeTimeout(),
                            ROLE);
                    // deliveries may have been queued while nobody listened
                    dispatcher.wake();
                })
                .handler(payload -> dispatcher.wake());
        subscriber = created;
        probe = ConnectionProbe.start(vertx.getDelegate(), ROLE, created::actualConnection,
                config.database().listenProbeEvery());
        connect(retryMillis);
    }

    private void connect(long retryMillis) {
        PgSubscriber current = subscriber;
        OwnConnections.connect(vertx.getDelegate(), current, retryMillis, () -> subscriber == current,
                e -> LOG.warnf("Cannot listen on %s (%s); webhooks leave on the schedule until it can", CHANNEL,
                        e.getMessage()));
    }

    @PreDestroy
    void stop() {
        PgSubscriber current = subscriber;
        subscriber = null;
        if (current != null) {
            probe.stop();
            current.close();
        }
    }
}
