package com.acme.subscription.catalog;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.database.ConnectionProbe;
import com.acme.subscription.common.database.OwnConnections;
import com.acme.subscription.common.error.DatabaseUnavailable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * This replica's copy of the catalog (a change must be seen by every replica within 1 s:
 * docs/catalog.md). Every change of tiers, features, tier_limits or app_settings sends
 * a NOTIFY on {@value #CHANNEL} from a trigger (V6 migration) when its transaction commits; a
 * dedicated LISTEN connection drops the copy, and the next read loads a new one.
 * <p>
 * Notifications sent while the LISTEN connection is down are lost, so the copy is only served
 * while that connection is up, listening, and answered a question asked less than a second ago
 * ({@link ConnectionProbe}): every change committed before that question has dropped the copy,
 * so the copy misses at most the last second's, even when the database vanished without closing
 * the connection. Otherwise every read goes to the database. A load that overlaps a notification
 * is used for its own read but not kept.
 * <p>
 * The check and consume statements do not use this copy: they read the catalog rows they need
 * in their single round trip (bench/README.md has the measurement that decided it).
 */
@ApplicationScoped
public class CatalogCache {

    public static final String CHANNEL = "catalog_changed";

    /** Its connection's role ({@link OwnConnections#applicationName}). */
    public static final String ROLE = "catalog-listener";

    /** How old the changes may be that the copy misses (a change reaches every replica within 1 s). */
    static final Duration FRESH = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(CatalogCache.class);

    /** What the copy was loaded under: it is current while no notification came since. */
    private record Copy(long generation, Catalog catalog) {
    }

    /** Fired on this replica for every notification, after the copy is dropped. */
    public record Changed(String table) {
    }

    private final TierRepository tiers;
    private final FeatureRepository features;
    private final TierLimitRepository limits;
    private final Vertx vertx;
    private final Event<Changed> changed;
    private final Counter loads;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;

    private final AtomicLong generation = new AtomicLong();
    private volatile Copy copy;
    private volatile PgSubscriber subscriber;
    /** The connection whose LISTEN is in place; the copy is trusted only while it is the live one. */
    private volatile PgConnection listeningOn;
    private volatile ConnectionProbe probe;

    public CatalogCache(TierRepository tiers, FeatureRepository features, TierLimitRepository limits, Vertx vertx,
            Event<Changed> changed,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.tiers = tiers;
        this.features = features;
        this.limits = limits;
        this.vertx = vertx;
        this.changed = changed;
        this.loads = registry.counter("catalog.cache.loads");
        // the health group asks when asked; this says it between scrapes, from the catalog connection's probe
        Gauge.builder("subscriptions.database.reachable", this, cache -> cache.listening() ? 1 : 0)
                .description("1 while this replica's catalog connection answered a question asked within the last "
                        + "second (the database is reachable), 0 otherwise")
                .register(registry);
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** The current catalog: this replica's copy when it can be trusted, else a fresh one from the database. */
    public Uni<Catalog> current() {
        // first: an answer heard proves the notifications before it have moved the generation on
        boolean trusted = listening();
        long loadedUnder = generation.get();
        Copy held = copy;
        if (trusted && held != null && held.generation() == loadedUnder) {
            return Uni.createFrom().item(held.catalog());
        }
        return load().invoke(catalog -> {
            if (generation.get() == loadedUnder && listening()) {
                copy = new Copy(loadedUnder, catalog);
            }
        });
    }

    /**
     * Drops the copy. Writers on this replica call it once their change has committed, so that
     * their own next read never waits for the notification.
     */
    public void invalidate() {
        generation.incrementAndGet();
    }

    /**
     * A request found the database unreachable: the LISTEN connection may not have noticed yet,
     * and what is sent meanwhile is lost, so the copy goes now rather than when it notices.
     */
    void databaseUnavailable(@Observes DatabaseUnavailable.Noticed noticed) {
        invalidate();
    }

    /** How many times the catalog was read from the database (also catalog_cache_loads_total on /q/metrics). */
    public long loads() {
        return (long) loads.count();
    }

    private Uni<Catalog> load() {
        return Panache.withSession(() -> tiers.listRanked()
                .flatMap(tierList -> features.listSorted()
                        .flatMap(featureList -> limits.listAll()
                                .map(cells -> Catalog.of(tierList, featureList, cells)))))
                .invoke(() -> loads.increment());
    }

    /** True while notifications reach this replica, so that its copy can be trusted. */
    public boolean listening() {
        PgSubscriber current = subscriber;
        PgConnection listening = listeningOn;
        ConnectionProbe asking = probe;
        return current != null && listening != null && current.actualConnection() == listening
                && asking != null && asking.answeredWithin(listening, FRESH);
    }

    void start(@Observes StartupEvent event, SubscriptionsConfig config) {
        if (url.isEmpty()) {
            return; // no datasource, nothing to listen to (the datasource reports that itself)
        }
        long retryMillis = Math.max(1, config.catalog().listenRetry().toMillis());
        long firstRetryMillis = Math.max(1, retryMillis / 10);
        PgConnectOptions options = OwnConnections.options(url.get(), username, password, ROLE,
                config.database().listenProbeTimeout());
        PgSubscriber created = PgSubscriber.subscriber(vertx, options)
                // a lost connection is re-established (and LISTEN re-issued) until the service stops:
                // soon at first, then every listen-retry (1 s: 100 ms, 200 ms, ... 1 s, 1 s, ...)
                .reconnectPolicy(attempt -> Math.min(retryMillis, firstRetryMillis * (attempt + 1)));
        created.channel(CHANNEL)
                .subscribeHandler(v -> {
                    // notifications may have been missed while nobody listened
                    invalidate();
                    PgConnection connection = created.actualConnection();
                    OwnConnections.applySettings(connection, config.database().listenProbeTimeout(), ROLE);
                    listeningOn = connection;
                    LOG.infof("Listening on %s: this replica keeps a catalog copy again", CHANNEL);
                })
                .handler(table -> {
                    invalidate();
                    changed.fire(new Changed(table));
                });
        subscriber = created;
        probe = ConnectionProbe.start(vertx, ROLE, created::actualConnection, config.database().listenProbeEvery());
        connect(retryMillis);
    }

    private void connect(long retryMillis) {
        PgSubscriber current = subscriber;
        OwnConnections.connect(vertx, current, retryMillis, () -> subscriber == current,
                e -> LOG.warnf("Cannot listen on %s (%s); the catalog is read from the database until it can", CHANNEL,
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
