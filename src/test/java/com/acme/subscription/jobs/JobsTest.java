package com.acme.subscription.jobs;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Parallel;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.grant.GrantSql;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;


/** The background jobs (docs/jobs.md), run on demand on a moved clock, also racing each other. */
@QuarkusTest
class JobsTest {

    @Inject
    MutableClock clock;

    @Inject
    Pool pool;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
        // what the prune test planted, also when it failed: an active endpoint would queue later tests' events
        Database.update("DELETE FROM webhook_endpoints WHERE id IN ('prune-active', 'prune-off')");
        Database.update("DELETE FROM events WHERE profile_id = 'pruned-events'");
    }

    static long run(String job) {
        return ((Number) asAdmin().post("/api/v1/admin/jobs/" + job).then().statusCode(200)
                .body("job", equalTo(job)).extract().path("processed")).longValue();
    }

    /**
     * A run that answers when a large backlog is done: 100000 grants take 10-30 s on 2 cores once the
     * suite has filled the database, about the test client's default read timeout (30 s).
     */
    static long runBacklog(String job) {
        return ((Number) asAdmin().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", (int) Duration.ofMinutes(3).toMillis())))
                .post("/api/v1/admin/jobs/" + job).then().statusCode(200)
                .body("job", equalTo(job)).extract().path("processed")).longValue();
    }

    static String grantOf(String profile, String grantedBy) {
        return (String) Database.query("SELECT id FROM access_grants WHERE profile_id = ? AND granted_by = ?", profile,
                grantedBy).get(0).get("id");
    }

    @Test
    void expireGrantsEndsDueGrantsOnlyAndLeavesPausedOnes() {
        Instant t0 = Instant.parse("2026-08-01T00:00:00Z");
        clock.set(t0);
        String due = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", 1)).post("/api/v1/profiles/" + due + "/grants").then().statusCode(201);
        String notYet = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", 3)).post("/api/v1/profiles/" + notYet + "/grants").then().statusCode(201);
        String paused = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", 1)).post("/api/v1/profiles/" + paused + "/grants").then().statusCode(201);
        as(TestTokens.user(paused)).body(Map.of("code", Coupons.create("wellpass", "premium", 10, null)))
                .post("/api/v1/profiles/" + paused + "/redemptions").then().statusCode(201);

        clock.set(t0.plus(Duration.ofDays(2)));
        assertTrue(run("expire-grants") >= 1);
        assertEquals(false, Database.query("SELECT is_active FROM access_grants WHERE profile_id = ?", due).get(0)
                .get("is_active"));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_expired'", due));
        assertEquals(true, Database.query("SELECT is_active FROM access_grants WHERE profile_id = ?", notYet).get(0)
                .get("is_active"));
        var pausedRow = Database.query("""
                SELECT is_active, paused_by FROM access_grants WHERE profile_id = ? AND granted_by = 'admin'""", paused)
                .get(0);
        assertEquals(false, pausedRow.get("is_active"));
        assertTrue(pausedRow.get("paused_by") != null, "a paused grant is not expired by the job");
        assertEquals(0L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_expired'", paused));
        // idempotent: nothing more to do
        assertEquals(0L, run("expire-grants"));
    }

    /** The profile's lock, as every change to a profile takes it first. */
    private static final String PROFILE_LOCK = "SELECT id FROM profiles WHERE id = ? FOR NO KEY UPDATE";

    /**
     * Runs {@code job} while another transaction holds {@code locks} (statements on the profile's rows),
     * failing if the job waits for them; {@code whileHeld} checks what it left before they are released.
     */
    private static void runWhileHeld(String job, String profile, List<String> locks, Runnable whileHeld)
            throws Exception {
        try (Connection holder = Database.connect()) {
            holder.setAutoCommit(false);
            for (String lock : locks) {
                Database.execute(holder, lock, profile);
            }
            CompletableFuture.supplyAsync(() -> run(job)).get(20, TimeUnit.SECONDS);
            whileHeld.run();
            holder.rollback();
        }
    }

    /** Nobody holds the profile's grants: a NOWAIT lock from another connection gets them. */
    private static void assertGrantsFree(String profile) {
        Database.query("SELECT id FROM access_grants WHERE profile_id = ? FOR UPDATE NOWAIT", profile);
    }

    /**
     * A due grant whose profile a change holds (a revocation, which settles the profile's grants under
     * its lock) is left to that change: the job neither waits for it nor deadlocks with it, and the
     * next run expires the grant if the change did not.
     */
    @Test
    void expireGrantsLeavesTheGrantOfAProfileAChangeHolds() throws Exception {
        Instant t0 = Instant.parse("2026-08-01T00:00:00Z");
        clock.set(t0);
        String held = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", 1)).post("/api/v1/profiles/" + held + "/grants").then()
                .statusCode(201);
        clock.set(t0.plus(Duration.ofDays(2)));
        String active = "SELECT is_active FROM access_grants WHERE profile_id = ?";
        runWhileHeld("expire-grants", held, List.of(PROFILE_LOCK), () -> {
            assertEquals(true, Database.query(active, held).get(0).get("is_active"));
            assertGrantsFree(held); // for the change to settle
        });
        assertTrue(run("expire-grants") >= 1);
        assertEquals(false, Database.query(active, held).get(0).get("is_active"));
    }

    /** Whether another transaction holds grant rows of the profile (a NOWAIT lock, from JDBC). */
    private static Uni<String> grantsHeld(String profileId) {
        return Uni.createFrom().item(() -> {
            try {
                Database.query("SELECT id FROM access_grants WHERE profile_id = ? FOR UPDATE NOWAIT", profileId);
                return "free";
            } catch (IllegalStateException e) {
                return e.getCause() instanceof java.sql.SQLException cause && "55P03".equals(cause.getSQLState())
                        ? "held" : e.toString();
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * A batch's statement holds no grant of a profile it passed over, until its transaction ends: it
     * takes the profile before the grant (the other order would keep the grant of a held profile).
     */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aBatchHoldsNoGrantOfAProfileItPassesOver(boolean expiring) throws Exception {
        Instant t0 = Instant.parse("2026-08-01T00:00:00Z");
        clock.set(t0);
        String held = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", expiring ? 30 : 1)).post("/api/v1/profiles/" + held + "/grants")
                .then().statusCode(201);
        Instant now = t0.plus(Duration.ofDays(expiring ? 28 : 2));
        Tuple args = expiring ? Tuple.of(new String[0], Timestamps.utc(now), 1000)
                : Tuple.of(Timestamps.utc(now), 1000, "test", "test");
        String statement = expiring ? GrantSql.ANNOUNCE_EXPIRING : JobSql.EXPIRE_GRANTS;
        try (Connection change = Database.connect()) {
            change.setAutoCommit(false);
            Database.execute(change, PROFILE_LOCK, held);
            String whileTheBatchIsOpen = pool.getConnection().flatMap(connection -> connection.begin()
                    .flatMap(batch -> connection.preparedQuery(statement).execute(args)
                            .flatMap(rows -> grantsHeld(held))
                            .call(batch::rollback))
                    .eventually(connection::close))
                    .await().atMost(Duration.ofSeconds(30));
            assertEquals("free", whileTheBatchIsOpen);
            change.rollback();
        }
    }

    /**
     * The same for grant.expiring: a request that holds its profile and has numbered one of its events
     * (a revocation after its settle expired another grant) would otherwise wait for the job's grant
     * while the job's event waited for the profile's numbering.
     */
    @Test
    void expireGrantsLeavesTheExpiringGrantOfAProfileAChangeHolds() throws Exception {
        Instant t0 = Instant.parse("2026-08-01T00:00:00Z");
        clock.set(t0);
        String held = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "basic", "days", 30)).post("/api/v1/profiles/" + held + "/grants").then()
                .statusCode(201);
        clock.set(t0.plus(Duration.ofDays(28)));
        String announced = "SELECT count(*) FROM events WHERE profile_id = ? AND type = 'grant.expiring'";
        runWhileHeld("expire-grants", held,
                List.of(PROFILE_LOCK, "SELECT last FROM event_sequences WHERE profile_id = ? FOR UPDATE"), () -> {
                    assertEquals(0L, Database.count(announced, held));
                    assertGrantsFree(held);
                });
        run("expire-grants");
        assertEquals(1L, Database.count(announced, held));
    }

    /**
     * reset-usage passes over the counters of a profile being erased (the erasure holds the profile,
     * then deletes its counters): it neither waits for the erasure nor deadlocks with it.
     */
    @Test
    void resetUsageLeavesTheCountersOfAProfileBeingErased() throws Exception {
        Instant t0 = Instant.parse("2026-08-01T10:00:00Z");
        clock.set(t0);
        String erased = Profiles.onTier("basic");
        as(TestTokens.service()).body(Map.of("amount", 1)).post("/api/v1/profiles/" + erased + "/usage/ai_calls/consume")
                .then().statusCode(200);
        clock.set(t0.plus(Duration.ofDays(32))); // ai_calls resets monthly
        String used = "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'ai_calls'";
        // what an erasure takes before it deletes the profile's counters
        runWhileHeld("reset-usage", erased, List.of("SELECT id FROM profiles WHERE id = ? FOR UPDATE"),
                () -> assertEquals(1L, Database.count(used, erased)));
        run("reset-usage");
        assertEquals(0L, Database.count(used, erased));
    }

    @Test
    void fiveRacingRunsResumeEveryPausedGrantExactlyOnce() throws Exception {
        Settings.set("require_email_verification", "false");
        Instant t0 = Instant.parse("2026-09-01T00:00:00Z");
        clock.set(t0);
        List<String> profiles = new ArrayList<>();
        String code = Coupons.create("wellpass", "basic", 5, null);
        for (int i = 0; i < 20; i++) {
            String profile = Profiles.register(); // 14-day trial from t0
            clock.set(t0.plus(Duration.ofDays(1)));
            as(TestTokens.user(profile)).body(Map.of("code", code)).post("/api/v1/profiles/" + profile + "/redemptions")
                    .then().statusCode(201);
            clock.set(t0);
            profiles.add(profile);
        }
        Instant wellpassEnds = t0.plus(Duration.ofDays(6));
        clock.set(wellpassEnds.plus(Duration.ofHours(5)));

        List<Parallel.Result> results = Parallel.post(Collections.nCopies(5,
                new Parallel.Call(TestTokens.admin(), "/api/v1/admin/jobs/expire-grants", "")));
        results.forEach(r -> assertEquals(200, r.status(), r.body()));

        for (String profile : profiles) {
            String trial = grantOf(profile, "trial");
            assertEquals(1L, Database.count("""
                    SELECT count(*) FROM user_activity_log
                    WHERE profile_id = ? AND action = 'grant_resumed' AND details->>'grantId' = ?""", profile, trial));
            var row = Database.query("SELECT is_active, valid_from, valid_until, paused_by FROM access_grants WHERE id = ?",
                    trial).get(0);
            assertEquals(true, row.get("is_active"));
            assertEquals(null, row.get("paused_by"));
            // resumed at the Wellpass end with the exact 13 days left, whenever the job noticed
            assertEquals(wellpassEnds, ((java.sql.Timestamp) row.get("valid_from")).toInstant());
            assertEquals(wellpassEnds.plus(Duration.ofDays(13)), ((java.sql.Timestamp) row.get("valid_until")).toInstant());
        }
        assertEquals(0L, run("resume-grants"));
    }

    @Test
    void resetUsageMovesCountersToTheNextBoundaryOfTheResetZone() {
        Settings.set("usage_reset_zone", "Europe/Berlin");
        clock.set(Instant.parse("2026-01-30T12:00:00Z"));
        String profile = Profiles.onTier("basic");
        as(TestTokens.service()).body(Map.of("amount", 2)).post("/api/v1/profiles/" + profile + "/usage/ai_calls/consume")
                .then().statusCode(200).body("resetAt", equalTo("2026-01-31T23:00:00Z"));

        clock.set(Instant.parse("2026-01-31T22:59:59Z"));
        run("reset-usage");
        assertEquals(2L, counter(profile, "ai_calls"));

        // January 31 -> February 1 (in Berlin): reset, next boundary March 1 00:00 CET
        clock.set(Instant.parse("2026-02-01T08:00:00Z"));
        assertTrue(run("reset-usage") >= 1);
        assertEquals(0L, counter(profile, "ai_calls"));
        assertEquals(Instant.parse("2026-02-28T23:00:00Z"), resetAt(profile, "ai_calls"));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'usage_reset'", profile));
        // a second run in the same period changes nothing
        run("reset-usage");
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'usage_reset'", profile));

        // February -> March
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/usage/ai_calls/consume").then().statusCode(200);
        clock.set(Instant.parse("2026-03-01T00:00:00Z"));
        run("reset-usage");
        assertEquals(0L, counter(profile, "ai_calls"));
        assertEquals(Instant.parse("2026-03-31T22:00:00Z"), resetAt(profile, "ai_calls"));
    }

    @Test
    void resetUsageHandlesTheDaylightSavingDay() {
        Settings.set("usage_reset_zone", "Europe/Berlin");
        asAdmin().body(Map.of("name", "Daily", "resetPeriod", "daily", "defaultLimit", 5)).put("/api/v1/features/daily_j1")
                .then().statusCode(201);
        try {
            clock.set(Instant.parse("2026-10-24T12:00:00Z"));
            String profile = Profiles.onTier("free");
            as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/usage/daily_j1/consume").then().statusCode(200)
                    .body("resetAt", equalTo("2026-10-24T22:00:00Z"));
            // October 25th in Berlin lasts 25 hours: 22:00Z (CEST) to 23:00Z (CET)
            clock.set(Instant.parse("2026-10-25T10:00:00Z"));
            run("reset-usage");
            assertEquals(Instant.parse("2026-10-25T23:00:00Z"), resetAt(profile, "daily_j1"));
            assertEquals(0L, counter(profile, "daily_j1"));
        } finally {
            Database.update("DELETE FROM user_feature_usage WHERE feature_id = 'daily_j1'");
            asAdmin().delete("/api/v1/features/daily_j1").then().statusCode(204);
        }
    }

    @Test
    void aConsumeRacingTheResetIsNeverLost() throws Exception {
        clock.set(Instant.parse("2026-04-30T10:00:00Z"));
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String profile = Profiles.onTier("premium");
            as(TestTokens.service()).body(Map.of("amount", 7)).post("/api/v1/profiles/" + profile + "/usage/ai_calls/consume")
                    .then().statusCode(200);
            profiles.add(profile);
        }
        clock.set(Instant.parse("2026-05-01T00:00:01Z"));
        List<Parallel.Call> calls = new ArrayList<>();
        for (String profile : profiles) {
            for (int i = 0; i < 3; i++) {
                calls.add(new Parallel.Call(TestTokens.service(), "/api/v1/profiles/" + profile + "/usage/ai_calls/consume",
                        "{\"amount\": 1}"));
            }
            calls.add(new Parallel.Call(TestTokens.admin(), "/api/v1/admin/jobs/reset-usage", ""));
        }
        Parallel.post(calls).forEach(r -> assertEquals(200, r.status(), r.body()));
        for (String profile : profiles) {
            assertEquals(3L, counter(profile, "ai_calls"), "every consume of May is counted");
            assertEquals(Instant.parse("2026-06-01T00:00:00Z"), resetAt(profile, "ai_calls"));
        }
    }

    @Test
    void pruneRemovesWhatOutlivedItsUseAndNothingElse() {
        Instant now = Instant.parse("2026-10-01T00:00:00Z");
        clock.set(now);
        String profile = Profiles.onTier("free");
        Database.update("""
                INSERT INTO user_activity_log (id, profile_id, action, created) VALUES
                ('old-1', ?, 'login', ?::timestamptz - interval '366 days'),
                ('kept-1', ?, 'login', ?::timestamptz - interval '364 days')""", profile, now.toString(), profile,
                now.toString());
        Database.update("""
                INSERT INTO idempotency_keys (subject, method, path, idempotency_key, request_hash, state, locked_until,
                                              created, expires_at) VALUES
                ('s', 'POST', '/x', 'expired', 'h', 'completed', ?::timestamptz, ?::timestamptz, ?::timestamptz - interval '1 second'),
                ('s', 'POST', '/x', 'live', 'h', 'completed', ?::timestamptz, ?::timestamptz, ?::timestamptz + interval '1 hour')""",
                now.toString(), now.toString(), now.toString(), now.toString(), now.toString(), now.toString());
        Database.update("""
                INSERT INTO redemption_failures (profile_id, code, failed_at) VALUES
                (?, 'OLD', ?::timestamptz - interval '16 minutes'), (?, 'NEW', ?::timestamptz - interval '1 minute')""",
                profile, now.toString(), profile, now.toString());

        Database.update("""
                INSERT INTO events (id, profile_id, sequence, type, time, data) VALUES
                (gen_random_uuid(), 'pruned-events', 1, 'usage.reset', ?::timestamptz - interval '31 days', '{}'),
                (gen_random_uuid(), 'pruned-events', 2, 'usage.reset', ?::timestamptz - interval '29 days', '{}')""",
                now.toString(), now.toString());

        // an event still being delivered to an active endpoint stays (its retries are not lost); one
        // whose endpoint is switched off does not hold the retention up
        Database.update("""
                INSERT INTO webhook_endpoints (id, url, event_types, active, secret, created, updated) VALUES
                ('prune-active', 'https://receiver.invalid/a', '{usage.reset}', true, 's', ?::timestamptz, ?::timestamptz),
                ('prune-off', 'https://receiver.invalid/b', '{usage.reset}', false, 's', ?::timestamptz, ?::timestamptz)""",
                now.toString(), now.toString(), now.toString(), now.toString());
        Database.update("""
                INSERT INTO events (id, profile_id, sequence, type, time, data) VALUES
                (gen_random_uuid(), 'pruned-events', 3, 'usage.reset', ?::timestamptz - interval '31 days', '{}'),
                (gen_random_uuid(), 'pruned-events', 4, 'usage.reset', ?::timestamptz - interval '31 days', '{}')""",
                now.toString(), now.toString());
        Database.update("""
                UPDATE webhook_deliveries d SET next_attempt_at = ?::timestamptz + interval '1 hour'
                FROM events e WHERE e.seq = d.event_seq AND e.profile_id = 'pruned-events'""", now.toString());
        Database.update("""
                DELETE FROM webhook_deliveries d USING events e WHERE e.seq = d.event_seq AND e.profile_id = 'pruned-events'
                AND NOT ((e.sequence = 3 AND d.endpoint_id = 'prune-active') OR (e.sequence = 4 AND d.endpoint_id = 'prune-off'))""");
        Database.update("""
                INSERT INTO webhook_deliveries (endpoint_id, event_seq, next_attempt_at, created)
                SELECT w.id, e.seq, ?::timestamptz + interval '1 hour', ?::timestamptz FROM events e, webhook_endpoints w
                WHERE e.profile_id = 'pruned-events' AND ((e.sequence = 3 AND w.id = 'prune-active')
                                                       OR (e.sequence = 4 AND w.id = 'prune-off'))
                ON CONFLICT DO NOTHING""", now.toString(), now.toString());

        Database.update("""
                INSERT INTO billing_events (id, type, created, received_at) VALUES
                ('evt_pruned', 'invoice.paid', ?::timestamptz - interval '31 days', ?::timestamptz - interval '31 days'),
                ('evt_kept', 'invoice.paid', ?::timestamptz - interval '29 days', ?::timestamptz - interval '29 days')""",
                now.toString(), now.toString(), now.toString(), now.toString());

        Settings.set("activity_retention_days", "365");
        assertTrue(run("prune") >= 5);
        assertEquals(List.of("evt_kept"), Database.query(
                "SELECT id FROM billing_events WHERE id IN ('evt_pruned', 'evt_kept')").stream()
                .map(row -> row.get("id")).toList());
        assertEquals(List.of(2L, 3L), Database.query(
                "SELECT sequence FROM events WHERE profile_id = 'pruned-events' ORDER BY sequence")
                .stream().map(row -> ((Number) row.get("sequence")).longValue()).toList());
        assertEquals(1L, Database.count("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = 'prune-active'"));
        assertEquals(0L, Database.count("SELECT count(*) FROM user_activity_log WHERE id = 'old-1'"));
        assertEquals(1L, Database.count("SELECT count(*) FROM user_activity_log WHERE id = 'kept-1'"));
        assertEquals(0L, Database.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'expired'"));
        assertEquals(1L, Database.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'live'"));
        assertEquals(0L, Database.count("SELECT count(*) FROM redemption_failures WHERE code = 'OLD'"));
        assertEquals(1L, Database.count("SELECT count(*) FROM redemption_failures WHERE code = 'NEW'"));
        assertEquals(1L, Database.count("SELECT count(*) FROM profiles WHERE id = ?", profile));
        Database.update("DELETE FROM idempotency_keys WHERE subject = 's'");
    }

    @Test
    void aBacklogOf100000DueGrantsIsProcessedInBoundedBatches() {
        Instant now = Instant.parse("2026-11-01T00:00:00Z");
        clock.set(now);
        run("expire-grants"); // what other tests left due, so that the count below is the backlog's alone
        Database.update("""
                INSERT INTO profiles (id, email, tier) SELECT 'bulk-' || i, 'bulk-' || i || '@example.com', 'free'
                FROM generate_series(1, 100000) i""");
        Database.update("""
                INSERT INTO access_grants (id, profile_id, tier_id, granted_by, valid_from, valid_until)
                SELECT 'bulk-grant-' || i, 'bulk-' || i, 'basic', 'subscription',
                       ?::timestamptz - interval '30 days', ?::timestamptz - interval '1 second' * i
                FROM generate_series(1, 100000) i""", now.toString(), now.toString());
        try {
            assertEquals(100000L, runBacklog("expire-grants"));
            assertEquals(0L, Database.count(
                    "SELECT count(*) FROM access_grants WHERE id LIKE 'bulk-grant-%' AND is_active"));
            // the parallel workers expired each grant exactly once: one entry per grant
            assertEquals(100000L, Database.count(
                    "SELECT count(*) FROM user_activity_log WHERE action = 'grant_expired' AND profile_id LIKE 'bulk-%'"));
            assertEquals(100000L, Database.count("""
                    SELECT count(DISTINCT details->>'grantId') FROM user_activity_log
                    WHERE action = 'grant_expired' AND profile_id LIKE 'bulk-%'"""));
            // every transaction (xmin) changed at most one batch (1000) of them
            var perTransaction = Database.query("""
                    SELECT count(*) AS n FROM access_grants WHERE id LIKE 'bulk-grant-%'
                    GROUP BY xmin::TEXT ORDER BY n DESC""");
            assertTrue(((Number) perTransaction.get(0).get("n")).longValue() <= 1000, perTransaction.get(0).toString());
            assertTrue(perTransaction.size() >= 100, "batches: " + perTransaction.size());
        } finally {
            Database.update("DELETE FROM profiles WHERE id LIKE 'bulk-%'");
        }
    }

    @Test
    void jobRunsAreCounted() {
        run("resume-grants");
        com.acme.subscription.support.ApiTest.management().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("jobs_runs_total{job=\"resume-grants\",result=\"ok\"}"))
                .body(org.hamcrest.Matchers.containsString("jobs_duration_seconds_count{job=\"resume-grants\"}"));
    }

    @Test
    void theJobAndAReadingSettleExpireAGrantAlike() {
        Instant t0 = Instant.parse("2026-07-10T00:00:00Z");
        clock.set(t0);
        String byJob = Profiles.onTier("free");
        String bySettle = Profiles.onTier("free");
        for (String profile : List.of(byJob, bySettle)) {
            asAdmin().body(Map.of("tierId", "basic", "days", 1)).post("/api/v1/profiles/" + profile + "/grants").then()
                    .statusCode(201);
        }
        clock.set(t0.plus(Duration.ofDays(3)));
        // the listing's settle comes first for one profile, the job for the other
        as(TestTokens.service()).get("/api/v1/profiles/" + bySettle + "/grants").then().statusCode(200)
                .body("size()", equalTo(0));
        assertTrue(run("expire-grants") >= 1);
        String entry = """
                SELECT action, details - 'grantId' AS details, created FROM user_activity_log
                WHERE profile_id = ? AND action = 'grant_expired'""";
        var fromJob = Database.query(entry, byJob);
        var fromSettle = Database.query(entry, bySettle);
        assertEquals(1, fromJob.size());
        assertEquals(fromJob.toString(), fromSettle.toString());
        assertTrue(fromJob.get(0).get("details").toString().contains("\"validUntil\""), fromJob.toString());
    }

    @Test
    void everyActionTheStatementsWriteIsANamedAction() throws Exception {
        clock.set(Instant.parse("2026-05-01T10:00:00Z"));
        String profile = Profiles.onTier("basic");
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/usage/ai_calls/consume").then().statusCode(200);
        asAdmin().body(Map.of("tierId", "premium", "days", 1)).post("/api/v1/profiles/" + profile + "/grants").then()
                .statusCode(201);
        as(TestTokens.user(profile)).body(Map.of("code", Coupons.create("wellpass", "basic", 2, null)))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201);
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        run("expire-grants");
        run("resume-grants");
        run("reset-usage");
        List<String> named = new ArrayList<>();
        for (var field : com.acme.subscription.activity.ActivityLog.class.getFields()) {
            if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                named.add((String) field.get(null));
            }
        }
        List<String> written = Database.query("SELECT DISTINCT action FROM user_activity_log WHERE profile_id = ? ORDER BY 1",
                profile).stream().map(row -> (String) row.get("action")).toList();
        // the Wellpass grant pauses the premium grant, expires, and the premium grant resumes and expires
        assertEquals(List.of("coupon_redeemed", "grant_created", "grant_expired", "grant_paused", "grant_resumed",
                "profile_registered", "tier_changed", "usage_reset"), written);
        assertTrue(named.containsAll(written), "not named in ActivityLog: " + written);
    }

    static long counter(String profile, String feature) {
        return Database.count("SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = ?",
                profile, feature);
    }

    static Instant resetAt(String profile, String feature) {
        return ((java.sql.Timestamp) Database.query(
                "SELECT reset_at FROM user_feature_usage WHERE profile_id = ? AND feature_id = ?", profile, feature)
                .get(0).get("reset_at")).toInstant();
    }
}
