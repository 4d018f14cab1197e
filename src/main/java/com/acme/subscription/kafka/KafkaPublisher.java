package com.acme.subscription.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.database.ConnectionProbe;
import com.acme.subscription.common.database.OwnConnections;
import com.acme.subscription.common.time.Timestamps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.Json;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Publishes the outbox to Kafka (docs/kafka.md), on every replica side by side, when
 * {@code KAFKA_BOOTSTRAP_SERVERS} is set; otherwise it creates nothing: no producer, no connection.
 * <p>
 * A round claims the profiles of the oldest unpublished events (advisory locks, {@link PublisherSql}),
 * sends their events and marks published those the broker acknowledged (acks=all, idempotent
 * producer): at least once, never lost. A profile's events go out in waves, its next event only
 * once the previous one is acknowledged, and a failed one ends that profile's round: nothing of
 * a profile overtakes an event that is not yet on the topic.
 * <p>
 * Rounds start when events are written (LISTEN {@value PublisherSql#CHANNEL} on the publisher's own
 * connection), on a schedule in case a notification was missed, and after a failed round once
 * {@code subscriptions.events.kafka.retry} has passed. One round at a time per replica.
 */
@ApplicationScoped
public class KafkaPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);

    /** Its connection's role ({@link OwnConnections#applicationName}). */
    public static final String ROLE = "kafka-publisher";

    /** The {@code application_name} of the publisher's connection. */
    public static final String APPLICATION_NAME = OwnConnections.applicationName(ROLE);

    /** What a round did. */
    record Round(int read, int published, Throwable failure) {
        static final Round NOTHING = new Round(0, 0, null);
    }

    private final Optional<String> bootstrapServers;
    private final Map<String, Object> kafkaConfig;
    private final SubscriptionsConfig.Events config;
    private final SubscriptionsConfig.Database database;
    private final Vertx vertx;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;

    /** True while a round runs or the retry after a failed one is pending; wakes meanwhile set {@link #again}. */
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile Producer<String, byte[]> producer;
    private volatile PgConnection connection;
    private volatile boolean stopped;
    private volatile boolean failing;
    private volatile ConnectionProbe probe;
    private Counter published;
    private Counter failedRounds;

    public KafkaPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, SubscriptionsConfig config, Vertx vertx,
            Clock clock, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.bootstrapServers = bootstrapServers.filter(servers -> !servers.isBlank());
        this.kafkaConfig = kafkaConfig;
        this.config = config.events();
        this.database = config.database();
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** True when Kafka is configured: only then does this publisher connect to anything. */
    public boolean active() {
        return bootstrapServers.isPresent() && url.isPresent();
    }

    /** True once the Kafka producer exists (never without {@code KAFKA_BOOTSTRAP_SERVERS}). */
    public boolean producerCreated() {
        return producer != null;
    }

    void start(@Observes StartupEvent event) {
        if (!active()) {
            return;
        }
        published = registry.counter("events.kafka.published");
        failedRounds = registry.counter("events.kafka.failed.rounds");
        LOG.infof("Publishing events to Kafka topic %s", config.topic());
        // a connection that stopped answering is closed, so that the round waiting on it fails and is retried
        probe = ConnectionProbe.start(vertx.getDelegate(), ROLE, () -> {
            PgConnection current = connection;
            return current == null ? null : current.getDelegate();
        }, database.listenProbeEvery());
        wake();
    }

    @Scheduled(identity = "kafka-publisher", every = "${subscriptions.events.kafka.every}",
            delayed = "${subscriptions.events.kafka.every}")
    void scheduled() {
        wake();
    }

    /** Starts a round now, or right after the one running (from any thread; nothing when inactive). */
    public void wake() {
        if (!active() || stopped) {
            return;
        }
        again.set(true);
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        again.set(false);
        Uni.createFrom().deferred(this::round).subscribe().with(round -> {
            if (round.failure() != null) {
                failed(round.failure());
                return;
            }
            if (failing) {
                failing = false;
                LOG.info("Publishing events to Kafka again");
            }
            if (round.read() >= config.kafka().batchSize() || again.get()) {
                drain(); // more may be waiting
                return;
            }
            running.set(false);
            if (again.get() && running.compareAndSet(false, true)) {
                drain(); // woken between the last check and the release
            }
        }, this::failed);
    }

    /** Keeps {@link #running} until the retry, so that wakes meanwhile do not hammer a broker that is away. */
    private void failed(Throwable failure) {
        if (failedRounds != null) {
            failedRounds.increment();
        }
        if (!failing) {
            failing = true;
            LOG.warnf("Cannot publish events to Kafka (%s); they stay in the outbox and are sent again", failure.toString());
        } else {
            LOG.debugf(failure, "Publishing events to Kafka failed again");
        }
        if (stopped) {
            return;
        }
        vertx.setTimer(Math.max(1, config.kafka().retry().toMillis()), timer -> {
            running.set(false);
            wake();
        });
    }

    private Uni<Round> round() {
        if (stopped) {
            return Uni.createFrom().item(Round.NOTHING);
        }
        return connection().flatMap(c -> c.preparedQuery(PublisherSql.CLAIM)
                .execute(Tuple.of(config.kafka().batchSize()))
                .flatMap(claimed -> {
                    List<String> profiles = new ArrayList<>();
                    for (Row row : claimed) {
                        profiles.add(row.getString("profile_id"));
                    }
                    if (profiles.isEmpty()) {
                        return Uni.createFrom().item(Round.NOTHING);
                    }
                    return c.preparedQuery(PublisherSql.READ)
                            .execute(Tuple.of(profiles.toArray(String[]::new), config.kafka().batchSize()))
                            .flatMap(rows -> publish(c, read(rows)))
                            // the claims end with the round, whatever happened (a lost connection ended them already)
                            .onTermination().call(() -> c.query(PublisherSql.RELEASE).execute()
                                    .onFailure().recoverWithNull());
                }));
    }

    private static List<OutboxEvent> read(Iterable<Row> rows) {
        List<OutboxEvent> events = new ArrayList<>();
        for (Row row : rows) {
            events.add(new OutboxEvent(row.getLong("seq"), row.getUUID("id"), row.getString("profile_id"),
                    row.getLong("sequence"), row.getString("type"), row.getOffsetDateTime("time").toInstant(),
                    Json.encode(row.getValue("data"))));
        }
        return events;
    }

    private Uni<Round> publish(PgConnection c, List<OutboxEvent> events) {
        Map<String, Deque<OutboxEvent>> queues = new LinkedHashMap<>();
        for (OutboxEvent event : events) {
            queues.computeIfAbsent(event.profileId(), p -> new ArrayDeque<>()).add(event);
        }
        List<Long> acknowledged = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        return waves(queues, acknowledged, failure)
                .flatMap(v -> acknowledged.isEmpty() ? Uni.createFrom().voidItem()
                        : c.preparedQuery(PublisherSql.MARK)
                                .execute(Tuple.of(acknowledged.toArray(Long[]::new), Timestamps.now(clock)))
                                .replaceWithVoid())
                .map(v -> {
                    published.increment(acknowledged.size());
                    return new Round(events.size(), acknowledged.size(), failure[0]);
                });
    }

    /**
     * Sends the first waiting event of every profile, waits for all answers, and goes on with the
     * next ones. A profile whose event failed is left out of the rest of the round.
     */
    private Uni<Void> waves(Map<String, Deque<OutboxEvent>> queues, List<Long> acknowledged, Throwable[] failure) {
        List<OutboxEvent> wave = new ArrayList<>();
        for (Deque<OutboxEvent> queue : queues.values()) {
            wave.add(queue.poll());
        }
        if (wave.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // send() may block while it waits for the broker's metadata: never on the event loop
        return Uni.createFrom().item(() -> sendAll(wave))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(sends -> Uni.createFrom().completionStage(
                        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).handle((v, e) -> sends)))
                .flatMap(sends -> {
                    for (int i = 0; i < wave.size(); i++) {
                        OutboxEvent event = wave.get(i);
                        CompletableFuture<Void> send = sends.get(i);
                        if (send.isCompletedExceptionally()) {
                            queues.remove(event.profileId());
                            if (failure[0] == null) {
                                failure[0] = send.handle((v, e) -> e).join();
                            }
                        } else {
                            acknowledged.add(event.seq());
                        }
                    }
                    queues.values().removeIf(Deque::isEmpty);
                    return waves(queues, acknowledged, failure);
                });
    }

    /**
     * One future per event, completed when the broker acknowledged it. Once a send could not even
     * start for want of the broker (it waited its whole timeout for metadata), the others of the wave
     * are not tried: they would each wait as long.
     */
    private List<CompletableFuture<Void>> sendAll(List<OutboxEvent> wave) {
        List<CompletableFuture<Void>> sends = new ArrayList<>(wave.size());
        Throwable unreachable = null;
        for (OutboxEvent event : wave) {
            CompletableFuture<Void> send = new CompletableFuture<>();
            sends.add(send);
            if (unreachable != null) {
                send.completeExceptionally(unreachable);
                continue;
            }
            try {
                producer().send(CloudEventRecords.of(config.topic(), event), (metadata, e) -> {
                    if (e == null) {
                        send.complete(null);
                    } else {
                        send.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                send.completeExceptionally(e);
            }
            if (send.isCompletedExceptionally() && send.handle((v, e) -> e).join() instanceof TimeoutException timeout) {
                unreachable = timeout;
            }
        }
        return sends;
    }

    /**
     * Created at the first round, not at start-up: the constructor resolves the bootstrap addresses, and
     * a name that does not resolve yet must delay the publishing, not stop the service.
     */
    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** The {@code kafka.*} configuration (security settings and the like), and what the publisher relies on. */
    Map<String, Object> producerConfig() {
        Map<String, Object> properties = new HashMap<>(kafkaConfig);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.orElseThrow());
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "subscription-service-events-" + UUID.randomUUID());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        long timeout = Math.max(100, config.kafka().sendTimeout().toMillis());
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // delivery.timeout.ms must cover linger.ms and request.timeout.ms
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout / 2));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        properties.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        properties.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return properties;
    }

    /** The publisher's own connection: its LISTEN and its advisory locks live as long as it does. */
    private Uni<PgConnection> connection() {
        PgConnection current = connection;
        if (current != null) {
            return Uni.createFrom().item(current);
        }
        return PgConnection.connect(vertx, connectOptions(url.orElseThrow()))
                .call(c -> c.query(OwnConnections.settings(database.listenProbeTimeout()) + "; LISTEN "
                        + PublisherSql.CHANNEL).execute()
                        .onFailure().call(() -> c.close()))
                .invoke(c -> {
                    c.notificationHandler(notification -> wake());
                    c.closeHandler(() -> {
                        if (connection == c) {
                            connection = null;
                            // notifications are lost while it is down: a round once it is back
                            if (!stopped) {
                                vertx.setTimer(Math.max(1, config.kafka().retry().toMillis()), timer -> wake());
                            }
                        }
                    });
                    connection = c;
                });
    }

    private PgConnectOptions connectOptions(String urls) {
        // its application_name tells it apart in pg_stat_activity, e.g. when looking for who holds a claim
        return OwnConnections.options(urls, username, password, ROLE, database.listenProbeTimeout());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        ConnectionProbe asking = probe;
        if (asking != null) {
            asking.stop();
        }
        PgConnection current = connection;
        connection = null;
        if (current != null) {
            current.closeAndForget();
        }
        Producer<String, byte[]> created = producer;
        if (created != null) {
            created.close(Duration.ofSeconds(5));
        }
    }
}
