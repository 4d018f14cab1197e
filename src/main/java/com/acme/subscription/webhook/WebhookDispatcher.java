package com.acme.subscription.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.event.EventMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sends the due webhook deliveries (docs/webhooks.md). Any number of replicas run it side by side:
 * each claims a batch (see {@link DeliverySql#CLAIM}), sends it without a transaction open, then
 * marks each delivery delivered, or schedules its retry, or fails it once the retry window is over.
 * At least once: a replica that dies between sending and marking leaves the delivery to be sent
 * again, with the same webhook-id, when its lease runs out.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final String SOURCE = "subscription-service";

    /** One claimed delivery, with what it takes to send it. */
    record Claimed(String endpointId, long eventSeq, int attempt, int windowAttempt, Instant firstAttempt,
            String eventId, String url, List<String> secrets, byte[] body) {
    }

    /** What one attempt came to. */
    /** {@code started}: when the attempt began, its time in the attempt log. */
    record Outcome(Instant started, Integer statusCode, String error, long durationMs) {
        boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /** Dispatches at once on one replica at most. */
    static final int RUNS = 4;

    private final Pool pool;
    private final TargetGuard guard;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final EventMetrics eventMetrics;
    private final HttpClient http;
    private final SubscriptionsConfig.Webhooks config;
    private final Map<String, Double> oldestPending = new ConcurrentHashMap<>();
    private final Map<String, Gauge> backlogGauges = new HashMap<>();
    /** Measures of the backlog begun, and the latest one applied (under the gauges' lock). */
    private final AtomicLong backlogMeasures = new AtomicLong();
    private long backlogApplied;
    /** Dispatches running on this replica; each waits for its batch's slowest receiver. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean again = new AtomicBoolean();

    public WebhookDispatcher(Pool pool, TargetGuard guard, Clock clock, ObjectMapper json, MeterRegistry metrics,
            EventMetrics eventMetrics, Vertx vertx, SubscriptionsConfig config) {
        this.pool = pool;
        this.eventMetrics = eventMetrics;
        this.guard = guard;
        this.clock = clock;
        this.json = json;
        this.metrics = metrics;
        this.config = config.webhooks();
        int timeout = (int) Math.max(1, this.config.timeout().toMillis());
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout)
                .setIdleTimeout(timeout).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setForceSni(true).setKeepAlive(true).setMaxPoolSize(Math.max(8, this.config.batchSize())));
    }

    @PreDestroy
    void close() {
        http.close().subscribe().with(ok -> {
        }, failure -> {
        });
    }

    /**
     * Sends batch after batch until nothing is due; several calls at once (here or on other
     * replicas) share the work. Answers how many attempts were made.
     */
    public Uni<Long> dispatch() {
        return Multi.createBy().repeating().uni(this::oneBatch).whilst(sent -> sent > 0)
                .collect().with(java.util.stream.Collectors.summingLong(Long::longValue))
                .call(this::measureBacklog).call(eventMetrics::refresh);
    }

    /**
     * For the schedule and the wake-ups: a new dispatch beside the ones running, up to
     * {@value #RUNS} on this replica, so that a batch waiting for a slow receiver does not hold up
     * the events queued after it (a backlog of slow receivers' retries can still fill all of them);
     * beyond that, one more as soon as one ends (the events of a wake-up may have missed the running
     * ones' claims).
     */
    void wake() {
        // the wake is noted before the attempt to run, so that a dispatch ending meanwhile sees it
        again.set(true);
        runIfFree();
    }

    private void runIfFree() {
        for (int now = running.get(); now < RUNS; now = running.get()) {
            if (running.compareAndSet(now, now + 1)) {
                run();
                return;
            }
        }
    }

    private void run() {
        again.set(false);
        dispatch().onTermination().invoke(() -> {
            running.decrementAndGet();
            if (again.get()) {
                runIfFree();
            }
        }).subscribe().with(sent -> {
        }, failure -> LOG.warnf("Webhook dispatch failed: %s", failure.toString()));
    }

    Uni<Long> oneBatch() {
        return claim(clock.instant()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(0L);
            }
            List<Uni<Void>> sends = claimed.stream().map(c -> send(c).flatMap(outcome -> mark(c, outcome))).toList();
            return Uni.join().all(sends).andCollectFailures().map(done -> (long) claimed.size());
        });
    }

    /** Claims up to a batch of due deliveries for the lease. */
    Uni<List<Claimed>> claim(Instant now) {
        return pool.preparedQuery(DeliverySql.CLAIM)
                .execute(Tuple.of(Timestamps.utc(now), config.batchSize(), Timestamps.utc(now.plus(config.lease()))))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    rows.forEach(row -> claimed.add(claimed(row, now)));
                    return claimed;
                });
    }

    private Claimed claimed(Row row, Instant now) {
        List<String> secrets = new ArrayList<>(List.of(row.getString("secret")));
        Instant previousUntil = Timestamps.instant(row.getOffsetDateTime("previous_secret_until"));
        if (row.getString("previous_secret") != null && previousUntil != null && previousUntil.isAfter(now)) {
            secrets.add(row.getString("previous_secret"));
        }
        UUID id = row.getUUID("id");
        ObjectNode event = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id.toString())
                .put("source", SOURCE)
                .put("type", row.getString("type"))
                .put("subject", row.getString("profile_id"))
                .put("time", Timestamps.instant(row.getOffsetDateTime("time")).toString())
                .put("datacontenttype", "application/json")
                .put("sequence", row.getLong("sequence"));
        byte[] body;
        try {
            event.set("data", json.readTree(row.getString("data")));
            body = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event data is not JSON", e);
        }
        return new Claimed(row.getString("endpoint_id"), row.getLong("event_seq"), row.getInteger("attempts"),
                row.getInteger("window_attempt"), Timestamps.instant(row.getOffsetDateTime("first_attempt_at")), id.toString(), row.getString("url"),
                secrets, body);
    }

    /** One attempt: the target checked again, the signed POST, the answer drained; never fails. */
    Uni<Outcome> send(Claimed claimed) {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        long timestamp = startedAt.getEpochSecond();
        Duration timeout = config.timeout();
        return guard.resolve(claimed.url())
                .flatMap(target -> {
                    String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/"
                            : target.uri().getRawPath();
                    if (target.uri().getRawQuery() != null) {
                        path += "?" + target.uri().getRawQuery();
                    }
                    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                            // the address that was checked, not a second lookup's answer
                            .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                            .setHost(target.host()).setPort(target.port()).setSsl(target.tls()).setURI(path)
                            .setTimeout(timeout.toMillis())
                            // Vert.x would write an IPv6 address without its brackets
                            .putHeader("host", target.authority())
                            .putHeader("content-type", "application/json")
                            .putHeader("webhook-id", claimed.eventId())
                            .putHeader("webhook-timestamp", Long.toString(timestamp))
                            .putHeader("webhook-signature",
                                    Signatures.header(claimed.secrets(), claimed.eventId(), timestamp, claimed.body()));
                    return http.request(request)
                            .flatMap(req -> req.send(Buffer.buffer(claimed.body())))
                            // read to its end and dropped, never held: a receiver's answer may be of any size
                            .flatMap(response -> response.end().map(drained -> response.statusCode()));
                })
                .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer within " + timeout.toMillis() + " ms"))
                .map(status -> new Outcome(startedAt, status, null, elapsed(started)))
                .onFailure().recoverWithItem(failure -> new Outcome(startedAt, null, error(failure), elapsed(started)));
    }

    /** Records the attempt (at its start) and settles the delivery (at its end: the retry waits from the answer). */
    Uni<Void> mark(Claimed claimed, Outcome outcome) {
        Instant now = clock.instant();
        if (outcome.succeeded()) {
            return pool.preparedQuery(DeliverySql.DELIVERED)
                    .execute(Tuple.tuple().addValue(claimed.endpointId()).addValue(claimed.eventSeq())
                            .addValue(claimed.attempt()).addValue(Timestamps.utc(outcome.started()))
                            .addValue(outcome.durationMs()).addValue(outcome.statusCode()).addValue(Timestamps.utc(now)))
                    .invoke(() -> count("delivered"))
                    .replaceWithVoid();
        }
        // the waits start again in a new retry window: a retried delivery that fails waits 5 s, not hours
        Instant next = now.plus(RetrySchedule.after(claimed.windowAttempt()));
        Instant first = claimed.firstAttempt() == null ? now : claimed.firstAttempt();
        String status = next.isAfter(first.plus(config.retryFor())) ? "failed" : "pending";
        return pool.preparedQuery(DeliverySql.NOT_DELIVERED)
                .execute(Tuple.tuple().addValue(claimed.endpointId()).addValue(claimed.eventSeq())
                        .addValue(claimed.attempt()).addValue(Timestamps.utc(outcome.started()))
                        .addValue(outcome.durationMs())
                        .addValue(outcome.statusCode()).addValue(status).addValue(Timestamps.utc(next))
                        .addValue(outcome.error()))
                .invoke(() -> count(status.equals("failed") ? "failed" : "retry"))
                .replaceWithVoid();
    }

    private void count(String result) {
        metrics.counter("webhooks.deliveries", "result", result).increment();
    }

    /**
     * Refreshes the gauge of the oldest undelivered event's age: one series per endpoint that exists
     * (0 when nothing waits for it), and none for an endpoint deleted since.
     */
    private Uni<Void> measureBacklog() {
        Instant now = clock.instant();
        long measure = backlogMeasures.incrementAndGet();
        return pool.preparedQuery(DeliverySql.OLDEST_PENDING).execute().invoke(rows -> {
            Map<String, Double> current = new HashMap<>();
            rows.forEach(row -> {
                var oldest = row.getOffsetDateTime("oldest");
                current.put(row.getString("endpoint_id"), oldest == null ? 0.0
                        : Math.max(0, Duration.between(Timestamps.instant(oldest), now).toSeconds()));
            });
            synchronized (backlogGauges) { // dispatches on several event loops may measure at once
                if (measure < backlogApplied) {
                    return; // a later measure was applied already: this one could bring back a deleted endpoint
                }
                backlogApplied = measure;
                oldestPending.putAll(current);
                current.keySet().forEach(endpoint -> backlogGauges.computeIfAbsent(endpoint, id -> Gauge
                        .builder("webhooks.oldest.undelivered.age", oldestPending, ages -> ages.getOrDefault(id, 0.0))
                        .description("Seconds since the oldest event not yet delivered to the endpoint was written")
                        .baseUnit("seconds").tag("endpoint", id).register(metrics)));
                backlogGauges.entrySet().removeIf(gauge -> {
                    if (current.containsKey(gauge.getKey())) {
                        return false;
                    }
                    metrics.remove(gauge.getValue());
                    oldestPending.remove(gauge.getKey());
                    return true;
                });
            }
        }).replaceWithVoid().onFailure().recoverWithNull();
    }

    private static long elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private static String error(Throwable failure) {
        if (failure instanceof TargetGuard.Refused) {
            return "refused target: " + failure.getMessage();
        }
        if (failure instanceof java.util.concurrent.TimeoutException) {
            return "timeout: " + failure.getMessage();
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}
