package com.acme.subscription.kafka;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.acme.subscription.event.EventType;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** At least once: an event stays unpublished while the broker is away, and goes out once it is back. */
@QuarkusTest
@TestProfile(KafkaProfile.Unreachable.class)
class KafkaOutageTest {

    /** The events other test classes wrote before are not this class's business: only its own go out. */
    @BeforeAll
    static void onlyThisClassesEvents() {
        Database.update("UPDATE events SET published_at = now() WHERE published_at IS NULL");
    }


    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Inject
    Events events;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void anEventWaitsInTheOutboxUntilTheBrokerAcknowledgedIt() throws Exception {
        String profile = "kafka-" + UUID.randomUUID();
        events.append(profile, EventType.GRANT_EXPIRED, Map.of("id", "g1"), Instant.parse("2026-03-01T10:00:00Z"));

        // a round tried it and failed: the broker is out of reach
        Waiting.within(LIMIT).until(() -> failedRounds() >= 1);
        assertNull(Events.stored(profile).get(0).get("published_at"));
        assertEquals(List.of(), Topic.records(profile));
        // older than event_retention_days, but Kafka has not had it yet: prune keeps it
        given().auth().oauth2(TestTokens.admin()).post("/api/v1/admin/jobs/prune").then().statusCode(200);
        assertEquals(1, Events.stored(profile).size());

        try (Gate gate = Gate.open(bootstrapServers, KafkaBroker.bootstrapServers())) {
            // the retries go on by themselves until one gets through
            assertEquals(1, Topic.awaitRecords(profile, 1, LIMIT).size());
            Waiting.within(LIMIT).until(() -> Events.stored(profile).get(0).get("published_at") != null);
        }
    }

    private double failedRounds() {
        var counter = registry.find("events.kafka.failed.rounds").counter();
        return counter == null ? 0 : counter.count();
    }
}
