package com.acme.subscription.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.acme.subscription.event.EventType;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Waiting;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The outbox published to a real broker: the records, their order, their claims (docs/kafka.md). */
@QuarkusTest
@TestProfile(KafkaProfile.class)
class KafkaPublisherTest {

    /** The events other test classes wrote before are not this class's business: only its own go out. */
    @BeforeAll
    static void onlyThisClassesEvents() {
        Database.update("UPDATE events SET published_at = now() WHERE published_at IS NULL");
    }


    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final Instant TIME = Instant.parse("2026-03-01T10:15:30.123456Z");

    @Inject
    Events events;

    @Inject
    MutableClock clock;

    @Inject
    KafkaPublisher publisher;

    @Inject
    MeterRegistry registry;

    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void anEventIsARecordInTheBinaryModeOfTheCloudEventsBinding() throws Exception {
        String profile = "kafka-" + UUID.randomUUID();
        Instant publishedAt = Instant.parse("2026-03-01T10:15:31Z");
        clock.set(publishedAt);
        Map<String, Object> data = Map.of("featureId", "ai_calls", "threshold", 80, "used", 80, "limit", 100,
                "resetAt", "2026-04-01T00:00:00Z");

        events.append(profile, EventType.USAGE_THRESHOLD_REACHED, data, TIME);

        List<ConsumerRecord<String, byte[]>> records = Topic.awaitRecords(profile, 1, LIMIT);
        assertEquals(1, records.size());
        ConsumerRecord<String, byte[]> record = records.get(0);
        Map<String, Object> stored = Events.stored(profile).get(0);
        assertEquals(profile, record.key());
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            assertNull(headers.put(header.key(), Topic.header(record, header.key())), "twice: " + header.key());
        }
        assertEquals(Map.of(
                "ce_specversion", "1.0",
                "ce_id", stored.get("id").toString(),
                "ce_source", "subscription-service",
                "ce_type", "usage.threshold_reached",
                "ce_subject", profile,
                "ce_time", "2026-03-01T10:15:30.123456Z",
                "ce_sequence", "1",
                "content-type", "application/json"), headers);
        assertEquals(json.valueToTree(data), json.readTree(record.value()));
        assertEquals(TIME.toEpochMilli(), record.timestamp());
        // marked once acknowledged, at the time of the service's clock
        Waiting.within(LIMIT).until(() -> Events.stored(profile).get(0).get("published_at") != null);
        assertEquals(publishedAt, ((Timestamp) Events.stored(profile).get(0).get("published_at")).toInstant());
    }

    @Test
    void aProfilesEventsKeepTheirOrderInOnePartition() {
        String first = "kafka-" + UUID.randomUUID();
        String second = "kafka-" + UUID.randomUUID();
        for (int n = 1; n <= 12; n++) {
            events.append(n % 3 == 0 ? second : first, EventType.GRANT_CREATED, Map.of("n", n), TIME);
        }

        assertOrdered(Topic.awaitRecords(first, 8, LIMIT), 8);
        assertOrdered(Topic.awaitRecords(second, 4, LIMIT), 4);
    }

    @Test
    void aFailedEventHoldsBackItsProfilesLaterEventsButNoOneElses() {
        String blocked = "kafka-" + UUID.randomUUID();
        String other = "kafka-" + UUID.randomUUID();
        events.append(blocked, EventType.GRANT_CREATED, Map.of("n", 1), TIME);
        // larger than the producer may send (max.request.size in KafkaProfile): refused, every time
        events.append(blocked, EventType.GRANT_CREATED, Map.of("n", 2, "padding", "x".repeat(5000)), TIME);
        events.append(blocked, EventType.GRANT_CREATED, Map.of("n", 3), TIME);
        events.append(other, EventType.GRANT_CREATED, Map.of("n", 1), TIME);
        try {
            assertEquals(1, Topic.awaitRecords(other, 1, LIMIT).size());
            Waiting.within(LIMIT).until(() -> Events.stored(blocked).get(0).get("published_at") != null);
            // rounds go on failing on the second event (one every retry): two more, and the third still waits
            double failed = failedRounds();
            Waiting.within(LIMIT).until(() -> failedRounds() >= failed + 2);

            List<ConsumerRecord<String, byte[]>> sent = Topic.records(blocked);
            assertEquals(1, sent.size());
            assertEquals("1", Topic.header(sent.get(0), "ce_sequence"));
            List<Map<String, Object>> stored = Events.stored(blocked);
            assertNull(stored.get(1).get("published_at"));
            assertNull(stored.get(2).get("published_at"));
        } finally {
            Database.update("DELETE FROM events WHERE profile_id = ?", blocked);
        }
    }

    @Test
    void aProfileClaimedByAnotherReplicaIsLeftToIt() throws Exception {
        String claimed = "kafka-" + UUID.randomUUID();
        String free = "kafka-" + UUID.randomUUID();
        int otherBackend;
        try (Connection otherReplica = Database.connect()) {
            try (PreparedStatement claim = otherReplica.prepareStatement(
                    "SELECT pg_advisory_lock(?, hashtext(?)), pg_backend_pid()");
                    ResultSet row = execute(claim, PublisherSql.LOCK_SPACE, claimed)) {
                row.next();
                otherBackend = row.getInt(2);
            }
            events.append(claimed, EventType.GRANT_CREATED, Map.of("n", 1), TIME);
            events.append(free, EventType.GRANT_CREATED, Map.of("n", 1), TIME);

            assertEquals(1, Topic.awaitRecords(free, 1, LIMIT).size());
            assertEquals(List.of(), Topic.records(claimed));
            assertNull(Events.stored(claimed).get(0).get("published_at"));
        }
        // the other replica is gone, its claim with its connection (the server lets go of it a moment
        // after the client closed): the next round publishes
        Waiting.within(LIMIT).until(() -> Database.count(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?", otherBackend) == 0);
        publisher.wake();
        assertEquals(1, Topic.awaitRecords(claimed, 1, LIMIT).size());
        Waiting.within(LIMIT).until(() -> Events.stored(claimed).get(0).get("published_at") != null);
    }

    /**
     * An event a writer holds (an erasure clearing an inviter's id in it) is not waited for: the
     * publisher marks the others and sends it again once it is free, as at-least-once allows. Waiting
     * could close a circle with the writer, which may wait for an event the publisher holds.
     */
    @Test
    void anEventAWriterHoldsIsPassedOverAndSentAgainOnceFree() throws Exception {
        String held = "kafka-" + UUID.randomUUID();
        String free = "kafka-" + UUID.randomUUID();
        try (Connection claim = Database.connect(); Connection writer = Database.connect()) {
            // kept out of the rounds while the writer takes its row
            try (PreparedStatement lock = claim.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))");
                    ResultSet row = execute(lock, PublisherSql.LOCK_SPACE, held)) {
                row.next();
            }
            events.append(held, EventType.GRANT_CREATED, Map.of("n", 1), TIME);
            writer.setAutoCommit(false);
            Database.execute(writer, "UPDATE events SET data = data WHERE profile_id = ?", held);
            try (PreparedStatement unlock = claim.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))");
                    ResultSet row = execute(unlock, PublisherSql.LOCK_SPACE, held)) {
                row.next();
            }
            publisher.wake();
            assertEquals(1, Topic.awaitRecords(held, 1, LIMIT).size());
            events.append(free, EventType.GRANT_CREATED, Map.of("n", 1), TIME);
            assertEquals(1, Topic.awaitRecords(free, 1, LIMIT).size());
            Waiting.within(LIMIT).until(() -> Events.stored(free).get(0).get("published_at") != null);
            assertNull(Events.stored(held).get(0).get("published_at"));
            writer.commit();
        }
        publisher.wake();
        Waiting.within(LIMIT).until(() -> Events.stored(held).get(0).get("published_at") != null);
        assertTrue(Topic.records(held).size() >= 1);
    }

    @Test
    void thePublisherHasItsOwnConnection() {
        String profile = "kafka-" + UUID.randomUUID();
        events.append(profile, EventType.PROFILE_REGISTERED, Map.of(), TIME);
        assertEquals(1, Topic.awaitRecords(profile, 1, LIMIT).size());
        assertTrue(publisher.active());
        assertTrue(publisher.producerCreated());
        assertEquals(1, Database.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                KafkaPublisher.APPLICATION_NAME));
    }

    private static ResultSet execute(PreparedStatement statement, int space, String profile) throws SQLException {
        statement.setInt(1, space);
        statement.setString(2, profile);
        return statement.executeQuery();
    }

    private double failedRounds() {
        return registry.counter("events.kafka.failed.rounds").count();
    }

    private void assertOrdered(List<ConsumerRecord<String, byte[]>> records, int count) {
        assertEquals(count, records.size());
        List<String> sequences = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequences.add(Topic.header(records.get(i), "ce_sequence"));
            expected.add(Integer.toString(i + 1));
            assertEquals(records.get(0).partition(), records.get(i).partition());
        }
        assertEquals(expected, sequences);
        assertNotNull(records.get(0).key());
    }
}
