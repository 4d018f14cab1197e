package com.acme.subscription.event;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** What the outbox announces for a profile's life, listed by GET /events (docs/events.md). */
@QuarkusTest
class EventsTest {

    @Inject
    MutableClock clock;

    @Inject
    EventMetrics eventMetrics;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    /** The profile's events, oldest first. */
    static List<Map<String, Object>> eventsOf(String profile) {
        List<Map<String, Object>> newestFirst = asAdmin().queryParam("profileId", profile).queryParam("limit", 500)
                .get("/api/v1/events").then().statusCode(200).extract().jsonPath().getList("items");
        List<Map<String, Object>> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    static List<String> typesOf(String profile) {
        return eventsOf(profile).stream().map(event -> (String) event.get("type")).toList();
    }

    @Test
    void aTrialRegistrationIsAnnouncedAndSoIsItsEnd() {
        Instant t0 = Instant.parse("2026-09-01T10:00:00Z");
        clock.set(t0);
        Settings.set("require_email_verification", "false");
        String profile = Profiles.register();
        assertEquals(List.of("profile.registered", "grant.created", "profile.activated"), typesOf(profile));

        // grant_expiring_notice_days (3) before the end, once, whether a job or a write gets there first
        clock.set(t0.plus(Duration.ofDays(11)).minusSeconds(1));
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);
        assertEquals(3, typesOf(profile).size());
        clock.set(t0.plus(Duration.ofDays(11)));
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/grants").then().statusCode(200);
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);

        clock.set(t0.plus(Duration.ofDays(14)).plusSeconds(1));
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);

        List<Map<String, Object>> events = eventsOf(profile);
        assertEquals(List.of("profile.registered", "grant.created", "profile.activated", "grant.expiring",
                "grant.expired", "profile.tier_changed"), events.stream().map(event -> event.get("type")).toList());
        // numbered per profile in commit order, as CloudEvents of this service about this profile
        assertEquals(List.of(1, 2, 3, 4, 5, 6), events.stream().map(event -> event.get("sequence")).toList());
        assertEquals("2026-09-12T10:00:00Z", events.get(3).get("time"));
        events.forEach(event -> {
            assertEquals("1.0", event.get("specversion"));
            assertEquals("subscription-service", event.get("source"));
            assertEquals(profile, event.get("subject"));
            assertEquals("application/json", event.get("datacontenttype"));
        });
        assertEquals(Map.of("from", "premium", "to", "free", "source", "grant_expired"), events.get(5).get("data"));
        // a grant's event carries the grant exactly as the API shows it
        Map<String, Object> grant = asAdmin().queryParam("includeInactive", true)
                .get("/api/v1/profiles/" + profile + "/grants").then().statusCode(200).extract().jsonPath()
                .getMap("[0]");
        assertEquals(grant, events.get(4).get("data"));
        assertEquals("2026-09-15T10:00:01Z", events.get(4).get("time"));
    }

    /** A grant that starts within the notice is announced at once: it may end before the next job run. */
    @Test
    void aGrantStartedWithinTheNoticeIsAnnouncedAsExpiringAtOnce() {
        Instant t0 = Instant.parse("2026-09-01T10:00:00Z");
        clock.set(t0);
        String profile = Profiles.onTier("free");
        String grants = "/api/v1/profiles/" + profile + "/grants";
        asAdmin().body(Map.of("tierId", "premium", "validUntil", t0.plus(Duration.ofDays(2)).toString())).post(grants)
                .then().statusCode(201);
        asAdmin().body(Map.of("tierId", "basic", "validUntil", t0.plus(Duration.ofDays(1)).toString())).post(grants)
                .then().statusCode(201);
        List<?> expiring = eventsOf(profile).stream().filter(event -> event.get("type").equals("grant.expiring"))
                .map(event -> ((Map<?, ?>) event.get("data")).get("tierId")).toList();
        assertEquals(List.of("premium", "basic"), expiring);
    }

    /** The times in an activity entry's details are written as in events and everywhere in the API: UTC with a Z. */
    @Test
    void timesInDetailsAreUtcWithAZ() {
        Instant t0 = Instant.parse("2026-09-01T10:00:00.123456Z");
        clock.set(t0);
        String profile = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "premium", "validUntil", "2026-09-02T10:00:00Z"))
                .post("/api/v1/profiles/" + profile + "/grants").then().statusCode(201);
        clock.set(Instant.parse("2026-09-02T10:00:01Z"));
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/activity?action=grant_expired").then()
                .statusCode(200).body("items[0].details.validUntil", equalTo("2026-09-02T10:00:00Z"));
    }

    @Test
    void aBaseTierChangeIsAnnouncedWithWhatCausedIt() {
        String profile = Profiles.onTier("basic");
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/photos").then().statusCode(200);
        asAdmin().body(Map.of("tier", "premium")).patch("/api/v1/profiles/" + profile).then().statusCode(200);
        List<Map<String, Object>> events = eventsOf(profile);
        assertEquals(Map.of("from", "basic", "to", "premium", "source", "base_tier"),
                events.get(events.size() - 1).get("data"));
    }

    @Test
    void thresholdsAreAnnouncedOncePerPeriodAndTheNewPeriodToo() {
        clock.set(Instant.parse("2026-09-10T08:00:00Z"));
        String profile = Profiles.onTier("free");
        String usage = "/api/v1/profiles/" + profile + "/usage/ai_calls";
        asAdmin().body(Map.of("limit", 10)).put("/api/v1/profiles/" + profile + "/overrides/ai_calls").then()
                .statusCode(201);
        int before = typesOf(profile).size();
        as(TestTokens.service()).body(Map.of("amount", 7)).post(usage + "/consume").then().statusCode(200);
        assertEquals(before, typesOf(profile).size(), "70 % is no threshold");
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage + "/consume").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 2)).post(usage + "/consume").then().statusCode(200);
        // once per period: down and up again announces nothing more
        as(TestTokens.service()).body(Map.of("amount", 5)).post(usage + "/release").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 5)).post(usage + "/consume").then().statusCode(200);

        List<Map<String, Object>> events = eventsOf(profile).subList(before, typesOf(profile).size());
        assertEquals(List.of(
                Map.of("featureId", "ai_calls", "threshold", 80, "used", 8, "limit", 10, "resetAt", "2026-10-01T00:00:00Z"),
                Map.of("featureId", "ai_calls", "threshold", 100, "used", 10, "limit", 10, "resetAt", "2026-10-01T00:00:00Z")),
                events.stream().map(event -> event.get("data")).toList());
        assertEquals(List.of("usage.threshold_reached", "usage.threshold_reached"),
                events.stream().map(event -> event.get("type")).toList());

        // the next period: its start is announced, and its thresholds count afresh
        clock.set(Instant.parse("2026-10-01T00:00:05Z"));
        asAdmin().post("/api/v1/admin/jobs/reset-usage").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 9)).post(usage + "/consume").then().statusCode(200);
        List<Map<String, Object>> next = eventsOf(profile).subList(before + 2, typesOf(profile).size());
        assertEquals(List.of("usage.reset", "usage.threshold_reached"),
                next.stream().map(event -> event.get("type")).toList(), next.toString());
        assertEquals(Map.of("featureId", "ai_calls", "resetAt", "2026-11-01T00:00:00Z"), next.get(0).get("data"));
        assertEquals(80, ((Map<?, ?>) next.get(1).get("data")).get("threshold"));
    }

    @Test
    void theConsumeThatCreatesACounterAnnouncesWhatItReachesOnce() {
        String profile = Profiles.onTier("free");
        asAdmin().body(Map.of("limit", 10)).put("/api/v1/profiles/" + profile + "/overrides/ai_calls").then()
                .statusCode(201);
        int before = typesOf(profile).size();
        String usage = "/api/v1/profiles/" + profile + "/usage/ai_calls";
        as(TestTokens.service()).body(Map.of("amount", 9)).post(usage + "/consume").then().statusCode(200);
        // the counter's next change knows that its first count announced 80 %
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage + "/consume").then().statusCode(200);
        List<Map<String, Object>> events = eventsOf(profile).subList(before, typesOf(profile).size());
        assertEquals(List.of(Map.entry(80, 9), Map.entry(100, 10)), events.stream()
                .map(event -> (Map<?, ?>) event.get("data"))
                .map(data -> Map.entry(data.get("threshold"), data.get("used"))).toList());
    }

    @Test
    void aConsumeThatStartsTheNewPeriodAnnouncesItBeforeAJobDoes() {
        clock.set(Instant.parse("2026-09-10T08:00:00Z"));
        String profile = Profiles.onTier("free");
        String usage = "/api/v1/profiles/" + profile + "/usage/ai_calls";
        asAdmin().body(Map.of("limit", 10)).put("/api/v1/profiles/" + profile + "/overrides/ai_calls").then()
                .statusCode(201);
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage + "/consume").then().statusCode(200);
        int before = typesOf(profile).size();
        clock.set(Instant.parse("2026-10-01T00:00:05Z"));
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage + "/consume").then().statusCode(200);
        asAdmin().post("/api/v1/admin/jobs/reset-usage").then().statusCode(200);
        assertEquals(List.of("usage.reset"), typesOf(profile).subList(before, typesOf(profile).size()));
    }

    @Test
    void anUnknownTypeIs400() {
        asAdmin().queryParam("type", "grant.exploded").get("/api/v1/events").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("type"));
    }


    @Test
    void aCounterFromBeforeEventsAnnouncesOnlyTheThresholdsItReachesNext() {
        String profile = Profiles.onTier("free");
        String usage = "/api/v1/profiles/" + profile + "/usage/ai_calls";
        asAdmin().body(Map.of("limit", 10)).put("/api/v1/profiles/" + profile + "/overrides/ai_calls").then()
                .statusCode(201);
        // as an earlier version left it: 90 % used, no alert columns computed
        Database.update("""
                INSERT INTO user_feature_usage (profile_id, feature_id, usage_count, reset_at, created, updated)
                VALUES (?, 'ai_calls', 9, now() + INTERVAL '1 day', now(), now())""", profile);
        int before = typesOf(profile).size();
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage + "/consume").then().statusCode(200);
        List<Map<String, Object>> events = eventsOf(profile).subList(before, typesOf(profile).size());
        assertEquals(List.of(100), events.stream().map(event -> ((Map<?, ?>) event.get("data")).get("threshold"))
                .toList());
    }

    @Test
    void eventsWrittenAreCountedByType() {
        double before = written("profile.registered");
        Profiles.onTier("free");
        Profiles.onTier("free");
        Profiles.onTier("free");
        assertEquals(before + 3, written("profile.registered"));
    }

    private double written(String type) {
        eventMetrics.refresh().await().atMost(Duration.ofSeconds(10));
        return registry.get("events.written").tag("type", type).functionCounter().count();
    }
}
