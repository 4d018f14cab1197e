package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.acme.subscription.catalog.CatalogCache;
import com.acme.subscription.common.database.OwnConnections;
import com.acme.subscription.event.EventType;
import com.acme.subscription.kafka.Events;
import com.acme.subscription.kafka.KafkaBroker;
import com.acme.subscription.kafka.KafkaPublisher;
import com.acme.subscription.support.Backends;
import com.acme.subscription.support.CatalogNotifications;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;
import com.acme.subscription.webhook.DispatchTriggers;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A replica's own connections (the catalog's and the webhooks' LISTEN, the Kafka publisher's) when
 * the database behind one of them falls silent without closing it: the connection is replaced,
 * and meanwhile the catalog copy misses no change older than a second (docs/catalog.md).
 */
@QuarkusTest
@TestProfile(SilentConnectionsTest.AllOwnConnections.class)
class SilentConnectionsTest {

    /**
     * Every own connection open (Kafka configured, the webhooks listening); a connection closed
     * after 3 s of silence, well after the catalog copy stopped being served (1 s).
     */
    public static class AllOwnConnections implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBroker.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("subscriptions.webhooks.listen", "true",
                    "subscriptions.database.listen-probe-timeout", "3s",
                    "subscriptions.events.kafka.retry", "100ms");
        }
    }

    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final Duration SILENCE = Duration.ofSeconds(3);
    private static final List<String> OWN = List.of(OwnConnections.applicationName(CatalogCache.ROLE),
            OwnConnections.applicationName(DispatchTriggers.ROLE), KafkaPublisher.APPLICATION_NAME);

    /** The events other test classes wrote before are not this class's business. */
    @BeforeAll
    static void onlyThisClassesEvents() {
        Database.update("UPDATE events SET published_at = now() WHERE published_at IS NULL");
    }

    @Inject
    CatalogCache cache;

    @Inject
    CatalogNotifications notifications;

    @Inject
    KafkaPublisher publisher;

    @Inject
    Events events;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void removeTier() {
        Database.update("DELETE FROM tiers WHERE id = 'silent_t1'");
    }

    @Test
    void aConnectionWhoseDatabaseAnswersIsKeptThoughNothingElseHappens() {
        Waiting.within(LIMIT).until(() -> OWN.stream().allMatch(name -> Backends.of(name, 0).size() == 1));
        List<Long> backends = OWN.stream().map(Backends::only).toList();

        // the probe's questions are what each reads: none is closed as silent
        Waiting.within(SILENCE.multipliedBy(3)).during(SILENCE.multipliedBy(2))
                .until(() -> OWN.stream().map(name -> Backends.of(name, 0)).toList(), equalTo(backends.stream()
                        .map(List::of).toList()));
    }

    @Test
    void theCatalogCopyMissesNoChangeOlderThanASecondWhileItsConnectionIsSilent() throws Exception {
        notifications.awaitListening();
        notifications.clear();
        asAdmin().body(Map.of("name", "Silent", "description", "before", "sortOrder", 73)).put("/api/v1/tiers/silent_t1")
                .then().statusCode(201);
        assertTrue(notifications.await("tiers", 1, TimeUnit.SECONDS));
        // the copy is in use: a second read does not load
        description();
        long loads = cache.loads();
        assertEquals("before", description());
        assertEquals(loads, cache.loads());

        String name = OwnConnections.applicationName(CatalogCache.ROLE);
        long silent = Backends.only(name);
        try (AutoCloseable stopped = Backends.silence(silent)) {
            Database.update("UPDATE tiers SET description = 'unheard' WHERE id = 'silent_t1'");
            long changed = System.nanoTime();

            // its notification is not heard, yet every read begun a second after the change sees it
            AtomicReference<String> staleLate = new AtomicReference<>();
            Waiting.within(LIMIT).until(() -> {
                long asked = System.nanoTime();
                String description = description();
                if (!"unheard".equals(description) && asked - changed > Duration.ofSeconds(1).toNanos()) {
                    staleLate.set(description);
                }
                return "unheard".equals(description);
            });
            assertEquals(null, staleLate.get(), "a read begun more than a second after the change missed it");

            // the silent connection is replaced, and the copy is in use again
            Waiting.within(LIMIT).until(() -> !Backends.of(name, silent).isEmpty() && cache.listening());
            description();
            long reloaded = cache.loads();
            assertEquals("unheard", description());
            assertEquals(reloaded, cache.loads());
        }
    }

    @Test
    void aSilentWebhookListenerIsReplaced() throws Exception {
        String name = OwnConnections.applicationName(DispatchTriggers.ROLE);
        Waiting.within(LIMIT).until(() -> Backends.of(name, 0).size() == 1);
        long silent = Backends.only(name);
        try (AutoCloseable stopped = Backends.silence(silent)) {
            Waiting.within(LIMIT).until(() -> Backends.of(name, silent).size() == 1);
        }
    }

    @Test
    void aRoundOnASilentPublisherConnectionIsRetriedOnANewOne() throws Exception {
        Waiting.within(LIMIT).until(() -> Backends.of(KafkaPublisher.APPLICATION_NAME, 0).size() == 1);
        long silent = Backends.only(KafkaPublisher.APPLICATION_NAME);
        try (AutoCloseable stopped = Backends.silence(silent)) {
            String profile = "kafka-" + UUID.randomUUID();
            events.append(profile, EventType.GRANT_CREATED, Map.of("id", "g1"), Instant.parse("2026-03-01T10:00:00Z"));
            // the notification is not heard; the round this starts waits on the silent connection
            publisher.wake();

            Waiting.within(LIMIT).until(() -> Events.stored(profile).get(0).get("published_at") != null);
            assertEquals(1, Backends.of(KafkaPublisher.APPLICATION_NAME, silent).size(), "published over a new connection");
        }
    }

    @Test
    void aPublisherStatementWaitingForALockFailsBeforeItsConnectionWouldBeClosed() throws Exception {
        Waiting.within(LIMIT).until(() -> Backends.of(KafkaPublisher.APPLICATION_NAME, 0).size() == 1);
        long backend = Backends.only(KafkaPublisher.APPLICATION_NAME);
        double failed = failedRounds();
        try (Connection holder = Database.connect()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            publisher.wake();
            // two rounds gave up on the lock (statement_timeout): longer than a silence, yet no close
            Waiting.within(LIMIT).until(() -> failedRounds() >= failed + 2);
            holder.rollback();
        }
        assertEquals(List.of(backend), Backends.of(KafkaPublisher.APPLICATION_NAME, 0));

        String profile = "kafka-" + UUID.randomUUID();
        events.append(profile, EventType.GRANT_CREATED, Map.of("id", "g2"), Instant.parse("2026-03-01T10:00:00Z"));
        Waiting.within(LIMIT).until(() -> Events.stored(profile).get(0).get("published_at") != null);
    }

    private double failedRounds() {
        var counter = registry.find("events.kafka.failed.rounds").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String description() {
        return as(TestTokens.service()).get("/api/v1/tiers/silent_t1").then().statusCode(200).extract()
                .path("description");
    }
}
