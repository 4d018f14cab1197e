package com.acme.subscription.grant;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** The Wellpass rule (docs/grants.md), step by step on a moved clock. */
@QuarkusTest
class WellpassTest {

    static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

    @Inject
    MutableClock clock;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    /** A profile with a 14-day premium trial from T0 and a 30-day basic admin grant from T0. */
    String profileWithTrialAndAdminGrant() {
        Settings.set("require_email_verification", "false");
        clock.set(T0);
        String id = Profiles.register();
        asAdmin().body(Map.of("tierId", "basic", "days", 30)).post(grants(id)).then().statusCode(201);
        return id;
    }

    static String grants(String id) {
        return "/api/v1/profiles/" + id + "/grants";
    }

    static JsonPath entitlements(String id) {
        return as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements").then().statusCode(200)
                .extract().jsonPath();
    }

    static Map<String, Object> grant(JsonPath list, String grantedBy) {
        return list.getMap("find { it.grantedBy == '" + grantedBy + "' }");
    }

    static String redeem(String id, String code) {
        return as(TestTokens.user(id)).body(Map.of("code", code)).post("/api/v1/profiles/" + id + "/redemptions").then()
                .statusCode(201).extract().path("grant.id");
    }

    /**
     * A grant whose request waited for the profile's lock while a Wellpass redemption committed comes
     * after it: it is created paused, although its request began before the Wellpass grant's start, and
     * also when the redemption ran on a replica whose clock is a second ahead of this one's.
     */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aGrantThatWaitedWhileAWellpassWasRedeemedIsCreatedPausedByIt(boolean redeemedByAClockAhead)
            throws Exception {
        String id = Profiles.onTier("free");
        clock.set(T0);
        String wellpass = java.util.UUID.randomUUID().toString();
        CompletableFuture<ExtractableResponse<Response>> create;
        try (Connection redemption = Database.connect()) {
            redemption.setAutoCommit(false);
            Database.execute(redemption, "SELECT id FROM profiles WHERE id = ? FOR NO KEY UPDATE", id);
            create = CompletableFuture.supplyAsync(() -> asAdmin().body(Map.of("tierId", "premium", "days", 5))
                    .post(grants(id)).then().extract());
            Waiting.untilWaitingForALock(create);
            Instant redeemed = T0.plusSeconds(1);
            if (!redeemedByAClockAhead) {
                clock.set(redeemed);
            }
            Database.execute(redemption, """
                    INSERT INTO access_grants (id, profile_id, tier_id, granted_by, wellpass, valid_from, valid_until,
                                               is_active, created, updated)
                    VALUES (?, ?, 'basic', 'coupon', true, ?, ?, true, ?, ?)""", wellpass, id,
                    Timestamp.from(redeemed), Timestamp.from(redeemed.plus(Duration.ofDays(30))),
                    Timestamp.from(redeemed), Timestamp.from(redeemed));
            redemption.commit();
        }
        ExtractableResponse<Response> created = create.get(30, TimeUnit.SECONDS);
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals(false, created.path("isActive"));
        assertEquals(wellpass, created.path("pausedBy"));
        assertEquals(5 * 86400, (int) created.path("remainingSeconds"));
        clock.set(T0.plusSeconds(1)); // this replica's clock catches up
        assertEquals("basic", entitlements(id).getString("tier.id"));
    }

    /** A grant ending at the API's last instant, paused meanwhile, resumes to end there still, not in year 10000. */
    @Test
    void aGrantEndingInYear9999ResumesToEndThereStill() {
        String id = Profiles.onTier("free");
        clock.set(T0);
        asAdmin().body(Map.of("tierId", "premium", "validUntil", "9999-12-31T23:59:59Z")).post(grants(id)).then()
                .statusCode(201);
        redeem(id, Coupons.create("wellpass", "basic", 10, null));
        clock.set(T0.plus(Duration.ofDays(11)));
        assertEquals("9999-12-31T23:59:59.999999Z", entitlements(id).getString("tier.validUntil"),
                "resumed at read time, before any write");
        // listing settles: the resumption is written
        JsonPath after = as(TestTokens.service()).get(grants(id)).then().statusCode(200).extract().jsonPath();
        assertEquals("9999-12-31T23:59:59.999999Z", grant(after, "admin").get("validUntil"));
        assertEquals(true, grant(after, "admin").get("isActive"));
        assertEquals("9999-12-31T23:59:59.999999Z", entitlements(id).getString("tier.validUntil"));
    }

    @Test
    void wellpassPausesOtherGrantsAndRevocationResumesThemAtOnce() {
        String id = profileWithTrialAndAdminGrant();
        assertEquals("premium", entitlements(id).getString("tier.id"));

        Instant t1 = T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3));
        clock.set(t1);
        String wellpass = redeem(id, Coupons.create("wellpass", "basic", 10, null));

        JsonPath current = as(TestTokens.service()).get(grants(id)).then().statusCode(200).extract().jsonPath();
        Map<String, Object> trial = grant(current, "trial");
        assertEquals(false, trial.get("isActive"));
        assertEquals(wellpass, trial.get("pausedBy"));
        assertEquals(t1.toString(), trial.get("pausedAt"));
        long trialLeft = Duration.ofDays(14).minus(Duration.between(T0, t1)).toSeconds(); // 11 d 21 h
        assertEquals((int) trialLeft, trial.get("remainingSeconds"));
        assertEquals(12, trial.get("remainingDays"));
        Map<String, Object> admin = grant(current, "admin");
        assertEquals(wellpass, admin.get("pausedBy"));
        assertEquals(28, admin.get("remainingDays"));
        assertEquals("basic", entitlements(id).getString("tier.id"));
        assertEquals(wellpass, entitlements(id).getString("tier.grantId"));

        // a grant created while the Wellpass grant runs is created paused, with all of its time
        clock.set(t1.plus(Duration.ofDays(1)));
        as(TestTokens.service()).body(Map.of("tierId", "premium", "days", 5)).post(grants(id)).then().statusCode(201)
                .body("isActive", equalTo(false)).body("pausedBy", equalTo(wellpass))
                .body("remainingDays", equalTo(5)).body("remainingSeconds", equalTo(5 * 86400));

        // revoking the Wellpass grant resumes them at once, with their exact remaining time
        Instant t2 = t1.plus(Duration.ofDays(3));
        clock.set(t2);
        asAdmin().delete(grants(id) + "/" + wellpass).then().statusCode(204);
        JsonPath after = as(TestTokens.service()).get(grants(id)).then().extract().jsonPath();
        Map<String, Object> resumed = grant(after, "trial");
        assertEquals(true, resumed.get("isActive"));
        assertEquals(t2.toString(), resumed.get("validFrom"));
        assertEquals(t2.plusSeconds(trialLeft).toString(), resumed.get("validUntil"));
        assertNull(resumed.get("pausedBy"));
        assertNull(resumed.get("remainingDays"));
        assertEquals("premium", entitlements(id).getString("tier.id"));
        assertEquals(t2.plusSeconds(trialLeft).toString(),
                as(TestTokens.service()).get("/api/v1/profiles/" + id).then().extract().path("trialEndsAt"));
        assertEquals(3L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_resumed'", id));
        assertEquals(2L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_paused'", id));
    }

    @Test
    void aWellpassGrantThatEndedCountsItsPausedGrantsAsResumedBeforeAnyJob() {
        String id = profileWithTrialAndAdminGrant();
        Instant t1 = T0.plus(Duration.ofDays(1));
        clock.set(t1);
        redeem(id, Coupons.create("wellpass", "basic", 10, null));
        Instant end = t1.plus(Duration.ofDays(10));

        clock.set(end.minusSeconds(1));
        assertEquals("basic", entitlements(id).getString("tier.id"));
        clock.set(end);
        JsonPath now = entitlements(id);
        // nothing has written the resumption: the read alone counts the trial as resumed at the end
        assertEquals("premium", now.getString("tier.id"));
        assertEquals("trial", now.getString("tier.grantedBy"));
        assertEquals(end.plus(Duration.ofDays(13)).toString(), now.getString("tier.validUntil"));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM access_grants WHERE profile_id = ? AND granted_by = 'trial' AND paused_by IS NOT NULL",
                id));
    }

    /**
     * The profile and the statistics read as the check does: at the end of the Wellpass grant, the
     * trial it paused is in force and trialEndsAt has moved, before any job wrote the resumption.
     */
    @Test
    void theProfileAndTheStatisticsCountAnEndedPauseAsResumedBeforeAnyJob() {
        Instant t0 = Instant.parse("2024-02-13T05:43:21Z"); // no other test's grant starts or ends near here
        Settings.set("require_email_verification", "false");
        clock.set(t0);
        String id = Profiles.register();
        Instant t1 = t0.plus(Duration.ofDays(1));
        clock.set(t1);
        redeem(id, Coupons.create("wellpass", "basic", 10, null));
        Instant end = t1.plus(Duration.ofDays(10));

        clock.set(end.minusSeconds(1));
        JsonPath before = asAdmin().get("/api/v1/stats").then().statusCode(200).extract().jsonPath();
        clock.set(end);
        JsonPath after = asAdmin().get("/api/v1/stats").then().statusCode(200).extract().jsonPath();
        assertEquals(count(before, "grants.active.trial") + 1, count(after, "grants.active.trial"));
        assertEquals(count(before, "grants.active.coupon") - 1, count(after, "grants.active.coupon"));
        assertEquals(count(before, "grants.paused") - 1, count(after, "grants.paused"));

        assertEquals(end.plus(Duration.ofDays(13)).toString(),
                as(TestTokens.service()).get("/api/v1/profiles/" + id).then().statusCode(200).extract().path("trialEndsAt"));
        // read, not written: the resumption is still the job's (or the next change's) to write
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM access_grants WHERE profile_id = ? AND granted_by = 'trial' AND paused_by IS NOT NULL",
                id));
    }

    /** A figure of the statistics; one they leave out (no grant of that kind) is 0. */
    private static long count(JsonPath stats, String path) {
        Number figure = stats.get(path);
        return figure == null ? 0 : figure.longValue();
    }

    @Test
    void withASecondWellpassGrantPausedGrantsMoveToItInsteadOfResuming() {
        String id = profileWithTrialAndAdminGrant();
        Instant t1 = T0.plus(Duration.ofDays(1));
        clock.set(t1);
        String first = redeem(id, Coupons.create("wellpass", "basic", 10, null));
        clock.set(t1.plus(Duration.ofDays(5)));
        String second = redeem(id, Coupons.create("wellpass", "basic", 20, null));
        Instant secondEnds = t1.plus(Duration.ofDays(25));

        // Wellpass grants never pause each other
        JsonPath during = as(TestTokens.service()).get(grants(id)).then().extract().jsonPath();
        assertEquals(List.of(true, true), during.getList("findAll { it.wellpass }.isActive"));
        assertEquals(first, grant(during, "trial").get("pausedBy"));

        clock.set(t1.plus(Duration.ofDays(12)));
        assertEquals("basic", entitlements(id).getString("tier.id"));
        JsonPath moved = as(TestTokens.service()).get(grants(id)).then().extract().jsonPath();
        assertEquals(second, grant(moved, "trial").get("pausedBy"));
        assertEquals(second, grant(moved, "admin").get("pausedBy"));

        clock.set(secondEnds);
        assertEquals("premium", entitlements(id).getString("tier.id"));
        JsonPath resumed = as(TestTokens.service()).get(grants(id)).then().extract().jsonPath();
        assertEquals(secondEnds.toString(), grant(resumed, "trial").get("validFrom"));
        assertEquals(secondEnds.plus(Duration.ofDays(13)).toString(), grant(resumed, "trial").get("validUntil"));
    }

    @Test
    void theOutcomeDoesNotDependOnWhenTheWellpassEndIsNoticed() {
        String id = profileWithTrialAndAdminGrant();
        Instant t1 = T0.plus(Duration.ofDays(1));
        clock.set(t1);
        String first = redeem(id, Coupons.create("wellpass", "basic", 10, null));
        clock.set(t1.plus(Duration.ofDays(5)));
        redeem(id, Coupons.create("wellpass", "basic", 20, null));
        // first noticed long after both Wellpass grants ended: the trial resumes at the end of the second
        Instant secondEnds = t1.plus(Duration.ofDays(25));
        clock.set(secondEnds.plus(Duration.ofDays(2)));
        JsonPath resumed = as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().extract().jsonPath();
        assertEquals(secondEnds.toString(), grant(resumed, "trial").get("validFrom"));
        assertEquals(secondEnds.plus(Duration.ofDays(13)).toString(), grant(resumed, "trial").get("validUntil"));
        assertEquals(true, grant(resumed, "trial").get("isActive"));
        assertEquals(false, resumed.getMap("find { it.id == '" + first + "' }").get("isActive"));
    }

    @Test
    void revokingTheTrialGrantEndsTrialEndsAtWithIt() {
        String id = profileWithTrialAndAdminGrant();
        String trial = (String) grant(as(TestTokens.service()).get(grants(id)).then().extract().jsonPath(), "trial")
                .get("id");
        assertEquals(T0.plus(Duration.ofDays(14)).toString(),
                as(TestTokens.service()).get("/api/v1/profiles/" + id).then().extract().path("trialEndsAt"));
        Instant revokedAt = T0.plus(Duration.ofDays(3));
        clock.set(revokedAt);
        asAdmin().delete(grants(id) + "/" + trial).then().statusCode(204);
        assertEquals(revokedAt.toString(),
                as(TestTokens.service()).get("/api/v1/profiles/" + id).then().extract().path("trialEndsAt"));
        // revoking another grant leaves it alone
        String admin = (String) grant(as(TestTokens.service()).get(grants(id)).then().extract().jsonPath(), "admin")
                .get("id");
        clock.set(revokedAt.plus(Duration.ofDays(1)));
        asAdmin().delete(grants(id) + "/" + admin).then().statusCode(204);
        assertEquals(revokedAt.toString(),
                as(TestTokens.service()).get("/api/v1/profiles/" + id).then().extract().path("trialEndsAt"));
    }

    @Test
    void aRevokedGrantNeverResumes() {
        String id = profileWithTrialAndAdminGrant();
        clock.set(T0.plus(Duration.ofDays(1)));
        String wellpass = redeem(id, Coupons.create("wellpass", "basic", 10, null));
        String adminGrant = (String) grant(as(TestTokens.service()).get(grants(id)).then().extract().jsonPath(), "admin")
                .get("id");
        asAdmin().delete(grants(id) + "/" + adminGrant).then().statusCode(204);
        asAdmin().delete(grants(id) + "/" + wellpass).then().statusCode(204);
        JsonPath all = as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().extract().jsonPath();
        Map<String, Object> revoked = all.getMap("find { it.id == '" + adminGrant + "' }");
        assertEquals(false, revoked.get("isActive"));
        assertNull(revoked.get("pausedBy"));
        clock.set(T0.plus(Duration.ofDays(20)));
        assertEquals(false, as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().extract()
                .jsonPath().getMap("find { it.id == '" + adminGrant + "' }").get("isActive"));
    }

    static long runJob(String job) {
        return ((Number) asAdmin().post("/api/v1/admin/jobs/" + job).then().statusCode(200).extract().path("processed"))
                .longValue();
    }

    static Map<String, Object> byId(JsonPath list, String grantId) {
        return list.getMap("find { it.id == '" + grantId + "' }");
    }

    @Test
    void revokingAPausedGrantEndsItAtTheRevocationNotAtItsOldEnd() {
        clock.set(T0);
        String id = Profiles.onTier("free");
        String wellpass = redeem(id, Coupons.create("wellpass", "premium", 10, null));
        String basic = asAdmin().body(Map.of("tierId", "basic", "days", 1)).post(grants(id)).then().statusCode(201)
                .body("isActive", equalTo(false)).body("pausedBy", equalTo(wellpass)).extract().path("id");
        String other = asAdmin().body(Map.of("tierId", "basic", "days", 5)).post(grants(id)).then().statusCode(201)
                .body("pausedBy", equalTo(wellpass)).extract().path("id");

        // two days later the paused 1-day grant has not run out: it was paused all along
        Instant revokedAt = T0.plus(Duration.ofDays(2));
        clock.set(revokedAt);
        asAdmin().delete(grants(id) + "/" + basic).then().statusCode(204);
        Map<String, Object> revoked = byId(as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then()
                .statusCode(200).extract().jsonPath(), basic);
        assertEquals(revokedAt.toString(), revoked.get("revokedAt"));
        assertEquals(revokedAt.toString(), revoked.get("validUntil"));
        assertEquals(T0.toString(), revoked.get("validFrom"));
        assertEquals(false, revoked.get("isActive"));
        assertNull(revoked.get("pausedBy"));
        assertNull(revoked.get("pausedAt"));
        assertNull(revoked.get("remainingDays"));
        assertNull(revoked.get("remainingSeconds"));

        // revoking the Wellpass grant resumes the other paused grant at once, never the revoked one
        Instant wellpassRevoked = revokedAt.plus(Duration.ofHours(1));
        clock.set(wellpassRevoked);
        asAdmin().delete(grants(id) + "/" + wellpass).then().statusCode(204);
        JsonPath after = as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().extract().jsonPath();
        assertEquals(false, byId(after, basic).get("isActive"));
        assertEquals(revokedAt.toString(), byId(after, basic).get("validUntil"));
        assertEquals(true, byId(after, other).get("isActive"));
        assertEquals(wellpassRevoked.toString(), byId(after, other).get("validFrom"));
        assertEquals(wellpassRevoked.plus(Duration.ofDays(5)).toString(), byId(after, other).get("validUntil"));
        assertEquals(other, entitlements(id).getString("tier.grantId"));
        clock.set(T0.plus(Duration.ofDays(30)));
        assertEquals(false, byId(as(TestTokens.service()).get(grants(id) + "?includeInactive=true").then().extract()
                .jsonPath(), basic).get("isActive"));
    }

    @Test
    void aWellpassGrantEndedOutsideTheServiceReleasesItsPausedGrantsFromThatMoment() {
        clock.set(T0);
        String id = Profiles.onTier("free");
        String premium = asAdmin().body(Map.of("tierId", "premium", "days", 30)).post(grants(id)).then().statusCode(201)
                .extract().path("id");
        Instant t1 = T0.plus(Duration.ofDays(1));
        clock.set(t1);
        String wellpass = redeem(id, Coupons.create("wellpass", "basic", 10, null));
        assertEquals("basic", entitlements(id).getString("tier.id"));

        // switched off by hand while its validUntil is still 7 days ahead
        Instant ended = t1.plus(Duration.ofDays(3));
        assertEquals(1, Database.update("UPDATE access_grants SET is_active = false, updated = ?::timestamptz WHERE id = ?",
                ended.toString(), wellpass));
        Instant resumedUntil = ended.plus(Duration.ofDays(29));

        // reads count the paused grant as resumed at that moment, before any job
        clock.set(ended.plus(Duration.ofHours(5)));
        JsonPath read = entitlements(id);
        assertEquals("premium", read.getString("tier.id"));
        assertEquals(premium, read.getString("tier.grantId"));
        assertEquals(resumedUntil.toString(), read.getString("tier.validUntil"));
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/ai_pipeline").then().statusCode(200)
                .body("allowed", equalTo(true)).body("limitSource", equalTo("tier"));
        assertEquals(1L, Database.count("SELECT count(*) FROM access_grants WHERE id = ? AND paused_by IS NOT NULL",
                premium));

        // the job writes the same outcome, whenever it runs
        clock.set(ended.plus(Duration.ofDays(2)));
        assertTrue(runJob("resume-grants") >= 1);
        var row = Database.query("SELECT is_active, paused_by, valid_from, valid_until FROM access_grants WHERE id = ?",
                premium).get(0);
        assertEquals(true, row.get("is_active"));
        assertNull(row.get("paused_by"));
        assertEquals(ended, ((java.sql.Timestamp) row.get("valid_from")).toInstant());
        assertEquals(resumedUntil, ((java.sql.Timestamp) row.get("valid_until")).toInstant());
        assertEquals(1L, Database.count("""
                SELECT count(*) FROM user_activity_log
                WHERE profile_id = ? AND action = 'grant_resumed' AND details->>'grantId' = ?""", id, premium));
        assertEquals(resumedUntil.toString(), entitlements(id).getString("tier.validUntil"));
        runJob("resume-grants");
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'grant_resumed'", id));
    }
}
