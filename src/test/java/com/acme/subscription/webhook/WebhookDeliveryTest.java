package com.acme.subscription.webhook;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Events;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Waiting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;

/**
 * Delivery to a real HTTP receiver: the signed CloudEvent, retries on a moved clock, the retry
 * window, timeouts, several dispatchers on one backlog, a crash between send and mark, rotation,
 * replay and a manual retry. The dispatcher is run on demand (the schedule is off in tests).
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    MutableClock clock;

    private Receiver receiver;
    private final List<String> endpoints = new ArrayList<>();
    private String profile;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
        clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        profile = "p-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        endpoints.forEach(id -> asAdmin().delete("/api/v1/webhooks/" + id));
        receiver.close();
        clock.reset();
    }

    /** Creates an endpoint for the receiver and answers {id, secret}. */
    private JsonPath subscribe() {
        JsonPath created = asAdmin().body(Map.of("url", receiver.url(), "description", "test receiver"))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath();
        endpoints.add(created.getString("id"));
        return created;
    }

    private String event(String type) {
        return Events.append(profile, type, "{\"featureId\":\"ai_calls\",\"threshold\":80}", clock.instant());
    }

    private long dispatch() {
        return dispatcher.dispatch().await().atMost(WAIT);
    }

    /** The requests this test's profile caused (other tests' events may reach the receiver too). */
    private List<Receiver.Request> received() {
        return receiver.requests.stream().filter(r -> r.body().contains("\"subject\":\"" + profile + "\"")).toList();
    }

    private Map<String, Object> delivery(String endpoint, String eventId) {
        return Database.query("""
                SELECT d.status, d.attempts, d.next_attempt_at FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE d.endpoint_id = ? AND e.id = ?::UUID""", endpoint, eventId).get(0);
    }

    private Instant nextAttempt(String endpoint, String eventId) {
        return ((java.sql.Timestamp) Database.query("""
                SELECT d.next_attempt_at FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE d.endpoint_id = ? AND e.id = ?::UUID""", endpoint, eventId).get(0).get("next_attempt_at"))
                .toInstant();
    }

    @Test
    void anIpv6TargetIsSentItsHostInBrackets() throws Exception {
        try (Receiver six = new Receiver("::1")) {
            endpoints.add(asAdmin().body(Map.of("url", six.url())).post("/api/v1/webhooks").then().statusCode(201)
                    .extract().jsonPath().getString("id"));
            event("usage.threshold_reached");

            dispatch();

            List<Receiver.Request> got = six.requests.stream()
                    .filter(r -> r.body().contains("\"subject\":\"" + profile + "\"")).toList();
            assertEquals(1, got.size());
            assertEquals("[::1]:" + java.net.URI.create(six.url()).getPort(), got.get(0).header("host"));
        }
    }

    @Test
    void anEventErasedWhileItIsSentEndsItsAttemptQuietly() throws Exception {
        subscribe();
        receiver.answer(0); // holds the request until the receiver closes
        event("usage.threshold_reached");
        java.util.concurrent.CompletableFuture<Long> running = dispatcher.dispatch().subscribeAsCompletionStage();
        Waiting.within(WAIT).until(() -> !received().isEmpty());

        // what an erasure does to the profile's events, while the receiver is asked
        Database.update("DELETE FROM events WHERE profile_id = ?", profile);
        receiver.close();

        assertEquals(1L, running.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, Database.count("""
                SELECT count(*) FROM webhook_attempts a JOIN webhook_endpoints w ON w.id = a.endpoint_id
                WHERE w.id = ?""", endpoints.get(0)));
    }

    @Test
    void anEventIsPostedAsASignedCloudEvent() throws Exception {
        JsonPath endpoint = subscribe();
        String secret = endpoint.getString("secret");
        assertTrue(secret.startsWith("whsec_"));
        assertEquals(32, java.util.Base64.getDecoder().decode(secret.substring(6)).length);
        String eventId = event("usage.threshold_reached");

        dispatch();

        List<Receiver.Request> got = received();
        assertEquals(1, got.size());
        Receiver.Request request = got.get(0);
        assertEquals("/hooks?x=1", request.path());
        assertEquals(eventId, request.header("webhook-id"));
        assertEquals(Long.toString(clock.instant().getEpochSecond()), request.header("webhook-timestamp"));
        assertEquals("application/json", request.header("content-type"));
        assertEquals(1, StandardWebhooks.signatures(request).size());
        assertTrue(StandardWebhooks.verifies(secret, request), "signature verifies with the endpoint's secret");

        JsonNode body = JSON.readTree(request.body());
        assertEquals("1.0", body.get("specversion").asText());
        assertEquals(eventId, body.get("id").asText());
        assertEquals("subscription-service", body.get("source").asText());
        assertEquals("usage.threshold_reached", body.get("type").asText());
        assertEquals(profile, body.get("subject").asText());
        assertEquals(clock.instant().toString(), body.get("time").asText());
        assertEquals("application/json", body.get("datacontenttype").asText());
        assertEquals(1, body.get("sequence").asLong());
        assertEquals(JSON.readTree("{\"featureId\":\"ai_calls\",\"threshold\":80}"), body.get("data"));

        assertEquals("delivered", delivery(endpoint.getString("id"), eventId).get("status"));
        asAdmin().get("/api/v1/webhooks/" + endpoint.getString("id") + "/deliveries").then().statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].eventId", equalTo(eventId))
                .body("items[0].eventType", equalTo("usage.threshold_reached"))
                .body("items[0].attempt", equalTo(1))
                .body("items[0].statusCode", equalTo(204))
                .body("items[0].error", equalTo(null))
                .body("items[0].succeeded", equalTo(true))
                .body("items[0].deliveryStatus", equalTo("delivered"))
                .body("items[0].time", equalTo(clock.instant().toString()))
                .body("nextCursor", equalTo(null));

        dispatch();
        assertEquals(1, received().size(), "a delivered event is not sent again");
    }

    @Test
    void aFailingReceiverIsRetriedWithGrowingDelaysUntilItRecovers() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        receiver.answer(500, 503).always(200);
        String eventId = event("grant.created");
        Instant first = clock.instant();

        dispatch();
        assertEquals(1, received().size());
        assertEquals(first.plusSeconds(5), nextAttempt(id, eventId));
        assertEquals("pending", delivery(id, eventId).get("status"));

        clock.advance(Duration.ofSeconds(4));
        dispatch();
        assertEquals(1, received().size(), "not before its retry is due");

        clock.advance(Duration.ofSeconds(1));
        dispatch();
        assertEquals(2, received().size());
        assertEquals(first.plusSeconds(35), nextAttempt(id, eventId));

        clock.advance(Duration.ofSeconds(30));
        dispatch();
        assertEquals(3, received().size());
        assertEquals("delivered", delivery(id, eventId).get("status"));
        assertEquals(3, delivery(id, eventId).get("attempts"));
        received().forEach(r -> assertEquals(eventId, r.header("webhook-id")));

        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                .body("items.statusCode", equalTo(List.of(200, 503, 500)))
                .body("items.attempt", equalTo(List.of(3, 2, 1)))
                .body("items.succeeded", equalTo(List.of(true, false, false)));
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=2").then().statusCode(200)
                .body("items.attempt", equalTo(List.of(3, 2)))
                .extract().jsonPath().getString("nextCursor");
    }

    /** An attempt is logged at its start; its retry waits from its end (the receiver took 20 s here). */
    @Test
    void anAttemptIsLoggedWhenItStarted() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        receiver.answer(500, 200).onRequest(() -> clock.advance(Duration.ofSeconds(20)));
        String eventId = event("grant.created");
        Instant first = clock.instant();

        dispatch();
        assertEquals(first.plusSeconds(25), nextAttempt(id, eventId));
        clock.set(first.plusSeconds(25));
        dispatch();
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                .body("items.attempt", equalTo(List.of(2, 1)))
                .body("items.time", equalTo(List.of(first.plusSeconds(25).toString(), first.toString())));
    }

    @Test
    void theDeliveryLogPagesThroughEveryAttemptOnce() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        receiver.answer(500, 500);
        String eventId = event("grant.created");
        dispatch();
        clock.advance(Duration.ofSeconds(5));
        dispatch();
        clock.advance(Duration.ofSeconds(30));
        dispatch();
        String cursor = asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=2").then().statusCode(200)
                .body("items.attempt", equalTo(List.of(3, 2))).extract().jsonPath().getString("nextCursor");
        assertNotNull(cursor);
        asAdmin().queryParam("limit", 2).queryParam("cursor", cursor).get("/api/v1/webhooks/" + id + "/deliveries")
                .then().statusCode(200).body("items.attempt", equalTo(List.of(1))).body("nextCursor", equalTo(null));
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?status=pending").then().statusCode(200)
                .body("items.size()", equalTo(0));
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?status=delivered").then().statusCode(200)
                .body("items.size()", equalTo(3)).body("items[0].eventId", equalTo(eventId));
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsRetried() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        receiver.answer(0).always(204);
        String eventId = event("grant.created");

        dispatch();
        assertEquals(1, received().size());
        Map<String, Object> attempt = Database.query(
                "SELECT status_code, error, duration_ms FROM webhook_attempts WHERE endpoint_id = ?", id).get(0);
        assertNull(attempt.get("status_code"));
        assertNotNull(attempt.get("error"));
        assertTrue(((Number) attempt.get("duration_ms")).longValue() >= 900, "gave up after the 1 s timeout");
        assertEquals("pending", delivery(id, eventId).get("status"));

        clock.advance(Duration.ofSeconds(5));
        dispatch();
        assertEquals(2, received().size());
        assertEquals("delivered", delivery(id, eventId).get("status"));
    }

    @Test
    void aDeadEndpointIsRetriedForThreeDaysThenFailed() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        receiver.always(500);
        String eventId = event("grant.created");
        Instant first = clock.instant();

        List<Long> waits = new ArrayList<>();
        Instant previous = first;
        while ("pending".equals(delivery(id, eventId).get("status")) && waits.size() < 100) {
            dispatch();
            Instant next = nextAttempt(id, eventId);
            waits.add(Duration.between(previous, next).toSeconds());
            previous = next;
            clock.set(next);
        }
        // 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then every 3 h, while within 3 days of the first attempt
        assertEquals(List.of(5L, 30L, 120L, 600L, 1800L, 3600L, 10800L, 10800L), waits.subList(0, 8));
        assertEquals("failed", delivery(id, eventId).get("status"));
        assertEquals(30, delivery(id, eventId).get("attempts"));
        assertEquals(30, received().size());
        Instant last = previous.minusSeconds(10800);
        assertTrue(!last.isAfter(first.plus(Duration.ofDays(3))), "the last attempt is within three days");

        clock.advance(Duration.ofDays(1));
        dispatch();
        assertEquals(30, received().size(), "a failed delivery is not sent again");

        // until an operator retries it: a new window, whose waits start again at 5 s
        asAdmin().post("/api/v1/webhooks/" + id + "/deliveries/" + eventId + "/retry").then().statusCode(202)
                .body("eventId", equalTo(eventId)).body("status", equalTo("pending")).body("attempts", equalTo(30));
        dispatch();
        assertEquals(31, received().size());
        assertEquals(Duration.ofSeconds(5), Duration.between(clock.instant(), nextAttempt(id, eventId)));
        receiver.always(204);
        clock.set(nextAttempt(id, eventId));
        dispatch();
        assertEquals(32, received().size());
        assertEquals("delivered", delivery(id, eventId).get("status"));
    }

    @Test
    void dispatchersSideBySideDeliverEveryEventOnce() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            ids.add(event("usage.reset"));
        }

        List<Long> attempts = Uni.join().all(dispatcher.dispatch(), dispatcher.dispatch(), dispatcher.dispatch())
                .andFailFast().await().atMost(WAIT);

        List<String> sent = received().stream().map(r -> r.header("webhook-id")).toList();
        assertEquals(150, sent.size(), "none sent twice");
        assertEquals(ids, new HashSet<>(sent), "every one sent");
        assertEquals(150L, attempts.stream().mapToLong(Long::longValue).sum());
        assertEquals(150, Database.count("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = "
                + "'delivered' AND attempts = 1", id));
    }

    @Test
    void aCrashBetweenSendAndMarkSendsTheEventAgainAfterTheLease() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        String eventId = event("grant.expired");

        // a replica claims and sends, then dies before it records the answer
        List<WebhookDispatcher.Claimed> claimed = dispatcher.claim(clock.instant()).await().atMost(WAIT).stream()
                .filter(c -> c.eventId().equals(eventId)).toList();
        assertEquals(1, claimed.size());
        dispatcher.send(claimed.get(0)).await().atMost(WAIT);
        assertEquals(1, received().size());

        dispatch();
        assertEquals(1, received().size(), "another dispatcher leaves it alone while the lease runs");

        clock.advance(Duration.ofSeconds(60));
        dispatch();
        assertEquals(2, received().size(), "sent again once the lease ran out");
        assertEquals(eventId, received().get(0).header("webhook-id"));
        assertEquals(eventId, received().get(1).header("webhook-id"));
        assertEquals(received().get(0).body(), received().get(1).body());
        assertEquals("delivered", delivery(id, eventId).get("status"));
        assertEquals(2, delivery(id, eventId).get("attempts"));
    }

    @Test
    void afterARotationBothSecretsSignFor24HoursThenOnlyTheNewOne() throws Exception {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        String old = endpoint.getString("secret");
        JsonPath rotated = asAdmin().post("/api/v1/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                .body("previousSecretUntil", equalTo(clock.instant().plus(Duration.ofHours(24)).toString()))
                .extract().jsonPath();
        String current = rotated.getString("secret");
        assertFalse(current.equals(old));
        assertTrue(current.startsWith("whsec_"));

        event("grant.created");
        dispatch();
        Receiver.Request during = received().get(0);
        assertEquals(2, StandardWebhooks.signatures(during).size());
        assertTrue(StandardWebhooks.verifies(current, during));
        assertTrue(StandardWebhooks.verifies(old, during));
        assertEquals(StandardWebhooks.expected(current, during.header("webhook-id"), during.header("webhook-timestamp"),
                during.body()), StandardWebhooks.signatures(during).get(0), "the new secret's signature first");

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        event("grant.revoked");
        dispatch();
        Receiver.Request after = received().get(1);
        assertEquals(1, StandardWebhooks.signatures(after).size());
        assertTrue(StandardWebhooks.verifies(current, after));
        assertFalse(StandardWebhooks.verifies(old, after));
    }

    @Test
    void aRetryAndAReplayWakeTheDispatchersAtOnce() throws Exception {
        String id = subscribe().getString("id");
        // replay covers every profile's events: this test's are later than any other test's
        clock.advance(Duration.ofDays(3650));
        Instant start = clock.instant();
        receiver.always(500);
        String eventId = event("usage.threshold_reached");
        dispatch(); // failed: it waits for its next attempt
        try (java.sql.Connection listener = Database.connect()) {
            listener.createStatement().execute("LISTEN " + DispatchTriggers.CHANNEL);
            asAdmin().post("/api/v1/webhooks/" + id + "/deliveries/" + eventId + "/retry").then().statusCode(202);
            assertEquals(List.of(DispatchTriggers.CHANNEL), notified(listener));
            asAdmin().body(Map.of("since", start.toString())).post("/api/v1/webhooks/" + id + "/replay").then()
                    .statusCode(202).body("queued", equalTo(1));
            assertEquals(List.of(DispatchTriggers.CHANNEL), notified(listener));
        }
    }

    /** The notifications the listener got: waits up to 10 s for the first. */
    private static List<String> notified(java.sql.Connection listener) throws java.sql.SQLException {
        org.postgresql.PGNotification[] got = listener.unwrap(org.postgresql.PGConnection.class).getNotifications(10_000);
        return got == null ? List.of() : java.util.Arrays.stream(got).map(org.postgresql.PGNotification::getName).toList();
    }

    @Test
    void aReplaySendsTheEndpointsEventsSinceATimeAgain() {
        JsonPath endpoint = subscribe();
        String id = endpoint.getString("id");
        // replay covers every profile's events: this test's are later than any other test's
        clock.advance(Duration.ofDays(3650));
        Instant start = clock.instant();
        event("grant.created");
        clock.advance(Duration.ofHours(1));
        String second = event("grant.paused");
        clock.advance(Duration.ofHours(1));
        String third = event("grant.resumed");
        dispatch();
        assertEquals(3, received().size());

        asAdmin().body(Map.of("since", start.plus(Duration.ofHours(1)).toString()))
                .post("/api/v1/webhooks/" + id + "/replay").then().statusCode(202).body("queued", equalTo(2));
        dispatch();
        assertEquals(5, received().size());
        assertEquals(Set.of(second, third), Set.of(received().get(3).header("webhook-id"),
                received().get(4).header("webhook-id")));
    }

    /** The value of webhooks_oldest_undelivered_age_seconds for an endpoint, null without a series. */
    private static Double backlogAge(String endpoint) {
        return com.acme.subscription.support.ApiTest.management().get("/q/metrics").then().statusCode(200).extract()
                .asString().lines()
                .filter(line -> line.startsWith("webhooks_oldest_undelivered_age_seconds{")
                        && line.contains("endpoint=\"" + endpoint + "\""))
                .map(line -> Double.valueOf(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(null);
    }

    /** One series per endpoint that exists: 0 when nothing waits, the oldest wait's age, gone with the endpoint. */
    @Test
    void theBacklogGaugeHasASeriesForEachEndpointWhileItExists() throws Exception {
        String idle = subscribe().getString("id");
        Receiver failing = new Receiver().always(500);
        try {
            String waiting = asAdmin().body(Map.of("url", failing.url())).post("/api/v1/webhooks").then().statusCode(201)
                    .extract().path("id");
            endpoints.add(waiting);
            event("grant.created");
            clock.advance(Duration.ofSeconds(3));
            dispatch();
            assertEquals(0.0, backlogAge(idle));
            assertEquals(3.0, backlogAge(waiting));

            asAdmin().delete("/api/v1/webhooks/" + waiting).then().statusCode(204);
            dispatch();
            assertNull(backlogAge(waiting));
            assertEquals(0.0, backlogAge(idle));
        } finally {
            failing.close();
        }
    }

    @Test
    void anEndpointGetsOnlyTheTypesItAskedFor() {
        String id = asAdmin().body(Map.of("url", receiver.url(), "eventTypes", List.of("grant.created")))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath().getString("id");
        endpoints.add(id);
        String wanted = event("grant.created");
        event("grant.revoked");
        dispatch();
        assertEquals(List.of(wanted), received().stream().map(r -> r.header("webhook-id")).toList());
    }

    @Test
    void anInactiveEndpointIsNotSentTo() {
        String id = subscribe().getString("id");
        String queued = event("grant.created");
        asAdmin().body(Map.of("active", false)).patch("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("active", equalTo(false));
        event("grant.revoked");
        dispatch();
        assertEquals(0, received().size());

        asAdmin().body(Map.of("active", true)).patch("/api/v1/webhooks/" + id).then().statusCode(200);
        dispatch();
        assertEquals(List.of(queued), received().stream().map(r -> r.header("webhook-id")).toList(),
                "what was queued before is sent; what came while inactive was never queued");
    }
}
