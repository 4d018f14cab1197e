package com.acme.subscription.webhook;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Events;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A receiver that takes its time holds up no other endpoint's events: an event queued while a
 * dispatch waits for it leaves at once (docs/webhooks.md). The receivers' timeout is long here, so
 * that waiting for the slow one would show.
 */
@QuarkusTest
@TestProfile(SlowReceiverTest.LongTimeout.class)
class SlowReceiverTest {

    public static class LongTimeout implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("subscriptions.webhooks.timeout", "30s");
        }
    }

    @Inject
    WebhookDispatcher dispatcher;

    @Test
    void anEventForAnotherEndpointLeavesWhileASlowReceiverIsAsked() throws Exception {
        String profile = "p-" + UUID.randomUUID();
        try (Receiver slow = new Receiver().answer(0); Receiver quick = new Receiver()) {
            String slowId = endpoint(slow, List.of("usage.reset"));
            String quickId = endpoint(quick, List.of("grant.created"));
            try {
                Events.append(profile, "usage.reset", "{}", Instant.now());
                dispatcher.wake();
                Waiting.within(Duration.ofSeconds(10)).until(() -> slow.requests.size() == 1);

                // the slow receiver holds its request; a new event for another endpoint goes out meanwhile
                Events.append(profile, "grant.created", "{}", Instant.now());
                dispatcher.wake();
                Waiting.within(Duration.ofSeconds(10)).until(() -> quick.requests.size() == 1);
                assertEquals(1, slow.requests.size());
            } finally {
                asAdmin().delete("/api/v1/webhooks/" + slowId);
                asAdmin().delete("/api/v1/webhooks/" + quickId);
            }
        }
    }

    private static String endpoint(Receiver receiver, List<String> eventTypes) {
        return asAdmin().body(Map.of("url", receiver.url(), "eventTypes", eventTypes)).post("/api/v1/webhooks").then()
                .statusCode(201).extract().jsonPath().getString("id");
    }
}
