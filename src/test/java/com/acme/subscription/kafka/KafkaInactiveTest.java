package com.acme.subscription.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.event.EventType;
import com.acme.subscription.support.Database;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** Without KAFKA_BOOTSTRAP_SERVERS nothing of Kafka starts: no producer, no connection, no meters. */
@QuarkusTest
class KafkaInactiveTest {

    @Inject
    KafkaPublisher publisher;

    @Inject
    Events events;

    @Inject
    MeterRegistry registry;

    @Test
    void nothingIsPublishedAndNoClientExists() {
        String profile = "kafka-" + UUID.randomUUID();
        events.append(profile, EventType.PROFILE_REGISTERED, Map.of(), Instant.parse("2026-03-01T10:00:00Z"));
        publisher.wake();

        assertFalse(publisher.active());
        assertFalse(publisher.producerCreated());
        assertNull(Events.stored(profile).get(0).get("published_at"));
        assertEquals(0, Database.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                KafkaPublisher.APPLICATION_NAME));
        // the producer's own thread and meters would be there had one been created
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("kafka-producer-network-thread")));
        assertNull(registry.find("events.kafka.published").counter());
    }
}
