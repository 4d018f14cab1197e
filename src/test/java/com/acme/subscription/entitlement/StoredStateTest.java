package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.grant.GrantSql;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each profile's stored effective state (docs/entitlements.md, "How a check is answered"): read by
 * key while it holds, computed from the grants when it does not, never wrong in between.
 */
@QuarkusTest
class StoredStateTest {

    static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    static final Instant TRIAL_END = T0.plus(Duration.ofDays(14));

    @Inject
    MutableClock clock;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    /** A profile registered at T0 without verification: a 14-day premium trial, then free. */
    String profileOnTrial() {
        Settings.set("require_email_verification", "false");
        clock.set(T0);
        return Profiles.register();
    }

    @Test
    void theStateAGrantGivesIsStoredAndReadByKeyUntilItEnds() {
        String id = profileOnTrial();
        Map<String, Object> state = state(id);
        assertEquals(false, state.get("state_stale"));
        assertEquals("premium", state.get("state_tier"));
        assertEquals("grant", state.get("state_source"));
        assertEquals(1, Database.count("SELECT count(*) FROM profiles WHERE id = ? AND state_until = ?::timestamptz",
                id, TRIAL_END.toString()), "held until the trial's end");

        clock.set(T0.plus(Duration.ofDays(3)));
        double computed = computed();
        assertEquals("premium", tier(id));
        check(id).body("limitSource", equalTo("tier"));
        consume(id, 1);
        assertEquals("premium", tierFlag(id));
        assertEquals(computed, computed(), "read from the stored state");

        // the trial has ended and no job has run: computed from the grants, with the same rules
        clock.set(TRIAL_END.plus(Duration.ofHours(1)));
        assertEquals("free", tier(id));
        assertEquals(computed + 1, computed());
        assertEquals("free", tierFlag(id));
        assertEquals(computed + 2, computed());
        // a consume on a state that does not hold changes nothing before it is computed: counted once
        consume(id, 2);
        check(id).body("limit", equalTo(5)).body("used", equalTo(2));
        assertEquals(computed + 4, computed());

        // the job that expires the trial writes the state that follows it
        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);
        state = state(id);
        assertEquals("free", state.get("state_tier"));
        assertEquals("base", state.get("state_source"));
        assertEquals(1, Database.count("SELECT count(*) FROM profiles WHERE id = ? AND state_until = 'infinity'", id),
                "nothing ends: held for good");
        assertEquals("free", tier(id));
        assertEquals("free", tierFlag(id));
        assertEquals(computed + 4, computed(), "read from the stored state again");
    }

    @Test
    void aGrantChangedWithSqlIsNeverReadFromTheStateItMadeStale() {
        String id = profileOnTrial();
        clock.set(T0.plus(Duration.ofDays(1)));
        assertEquals("premium", tier(id));

        // an operator ends the trial by hand
        assertEquals(1, Database.update("UPDATE access_grants SET is_active = false, revoked_at = ?::timestamptz, "
                + "updated = ?::timestamptz WHERE profile_id = ?", clock.instant().toString(),
                clock.instant().toString(), id));
        assertEquals(true, state(id).get("state_stale"));
        double computed = computed();
        assertEquals("free", tier(id));
        assertEquals(computed + 1, computed());

        asAdmin().post("/api/v1/admin/jobs/expire-grants").then().statusCode(200);
        assertEquals(false, state(id).get("state_stale"));
        assertEquals("free", state(id).get("state_tier"));
        assertEquals("free", tier(id));
        assertEquals(computed + 1, computed());
    }

    @Test
    void anExpiryChangesNoStateAndMarksNothingStale() {
        String id = profileOnTrial();
        long version = (Long) state(id).get("state_version");
        // what the job does to a grant that has run out: nothing a state depends on
        assertEquals(1, Database.update("UPDATE access_grants SET is_active = false, updated = ?::timestamptz "
                + "WHERE profile_id = ?", TRIAL_END.toString(), id));
        assertEquals(false, state(id).get("state_stale"));
        assertEquals(version, state(id).get("state_version"));
    }

    @Test
    void rankingTiersAnewMarksTheStatesOfProfilesWithGrantsStale() {
        Database.update("INSERT INTO tiers (id, name, sort_order) VALUES ('rank_lo', 'Rank lo', 9001), "
                + "('rank_hi', 'Rank hi', 9002)");
        String id = Profiles.onTier("rank_lo");
        try {
            asAdmin().body(Map.of("tierId", "rank_hi", "days", 30)).post("/api/v1/profiles/" + id + "/grants")
                    .then().statusCode(201);
            assertEquals("rank_hi", tier(id));
            String onBaseOnly = Profiles.onTier("rank_lo");
            assertEquals("rank_lo", tier(onBaseOnly));

            Database.update("UPDATE tiers SET sort_order = 9000 WHERE id = 'rank_hi'");
            assertEquals(true, state(id).get("state_stale"));
            assertEquals(false, state(onBaseOnly).get("state_stale"), "one tier only: nothing to rank");
            assertEquals("rank_lo", tier(id), "the grant no longer ranks above the base tier");
            Database.update("UPDATE tiers SET name = 'Rank hi!' WHERE id = 'rank_hi'");
            assertEquals(false, state(onBaseOnly).get("state_stale"), "a tier saved with its rank unchanged");
            Database.update("UPDATE profiles SET tier = 'free' WHERE id = ?", onBaseOnly);
            assertEquals(true, state(onBaseOnly).get("state_stale"), "a base tier changed with SQL");
            assertEquals("free", tier(onBaseOnly));
        } finally {
            Database.update("DELETE FROM access_grants WHERE tier_id IN ('rank_lo', 'rank_hi')");
            Database.update("UPDATE profiles SET tier = 'free' WHERE tier IN ('rank_lo', 'rank_hi')");
            Database.update("DELETE FROM tiers WHERE id IN ('rank_lo', 'rank_hi')");
        }
    }

    /**
     * A state computed from a snapshot taken before a concurrent change committed is not written
     * over that change: the UPDATE waits for the change's lock, finds a newer state_version and
     * leaves the row as the change left it.
     */
    @Test
    void aStateComputedBeforeAConcurrentChangeIsNotWrittenOverIt() throws Exception {
        String id = profileOnTrial();
        Database.update("UPDATE profiles SET state_stale = true WHERE id = ?", id);
        // named in a comment: pg_stat_activity keeps only the start of a long statement
        String refresh = "/* state race */ " + GrantSql.REFRESH_STATES.replace("$1", "'{" + id + "}'").replace("$2", "'" + T0 + "'");
        try (Connection change = Database.connect()) {
            change.setAutoCommit(false);
            try (Statement statement = change.createStatement()) {
                // another writer, in flight: it wrote a state of its own
                statement.executeUpdate("UPDATE profiles SET state_stale = false, state_version = state_version + 1, "
                        + "state_tier = 'basic' WHERE id = '" + id + "'");
            }
            CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> rows(refresh));
            Waiting.within(Duration.ofSeconds(10)).until(() -> written.isDone() || Database.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '/* state race */%'")
                    == 1);
            assertTrue(!written.isDone(), () -> "the refresh did not wait: " + written.join());
            change.commit();
            assertEquals(0L, written.get(10, TimeUnit.SECONDS), "nothing written over the newer state");
        }
        assertEquals("basic", state(id).get("state_tier"));
        assertEquals(false, state(id).get("state_stale"));
    }

    private static long rows(String sql) {
        try (Connection connection = Database.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getLong("rows");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double computed() {
        return registry.counter("entitlement.state.computed").count();
    }

    private static Map<String, Object> state(String id) {
        return Database.query("SELECT state_stale, state_version, state_tier, state_source "
                + "FROM profiles WHERE id = ?", id).get(0);
    }

    private static String tier(String id) {
        return as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then().statusCode(200)
                .extract().path("tier.id");
    }

    /** The OFREP flag tier, as an OpenFeature client asks for it. */
    private static String tierFlag(String id) {
        return as(TestTokens.service()).body(Map.of("context", Map.of("targetingKey", id)))
                .post("/ofrep/v1/evaluate/flags/tier").then().statusCode(200).extract().path("value");
    }

    private static io.restassured.response.ValidatableResponse check(String id) {
        return as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos").then().statusCode(200);
    }

    private static void consume(String id, int used) {
        as(TestTokens.service()).body(Map.of("amount", 1)).post("/api/v1/profiles/" + id + "/usage/photos/consume")
                .then().statusCode(200).body("used", equalTo(used));
    }
}
