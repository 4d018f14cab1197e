package com.acme.subscription.profile;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;

/** E-mail verification, invitations and logins (docs/profiles.md). */
@QuarkusTest
class AccountTest {

    @Inject
    MutableClock clock;

    @AfterEach
    void restore() {
        clock.reset();
        Settings.restoreSeed();
    }

    static String verificationToken(String profile) {
        return as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/email-verification").then()
                .statusCode(200).body("expiresAt", notNullValue()).extract().path("token");
    }

    static io.restassured.response.Response verify(String token) {
        return as(TestTokens.service()).body(Map.of("token", token)).post("/api/v1/email-verifications");
    }

    /** Rows of any table of the schema whose text contains the value. */
    static long rowsContaining(String value) {
        long found = 0;
        for (var table : Database.query("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE'""")) {
            found += Database.count("SELECT count(*) FROM " + table.get("table_name") + " t WHERE t::TEXT LIKE ?",
                    "%" + value + "%");
        }
        return found;
    }

    @Test
    void anUnverifiedProfileIsNotActivatedUntilItsTokenStartsTheTrial() {
        Instant registered = Instant.parse("2026-06-10T09:00:00Z");
        clock.set(registered);
        String profile = Profiles.register();
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/weight_entries").then()
                .body("allowed", equalTo(false)).body("reason", equalTo("email_not_verified"));
        assertEquals(0L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", profile));

        String token = verificationToken(profile);
        assertTrue(token.length() >= 43, "at least 256 bits, base64url");
        assertEquals(0L, rowsContaining(token), "the raw token is stored nowhere");

        Instant verified = registered.plus(Duration.ofHours(30));
        clock.set(verified);
        verify(token).then().statusCode(200).body("id", equalTo(profile)).body("emailVerified", equalTo(true))
                .body("trialEndsAt", equalTo(verified.plus(Duration.ofDays(14)).toString()));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then()
                .body("tier.id", equalTo("premium")).body("tier.grantedBy", equalTo("trial"));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'email_verified'", profile));

        verify(token).then().statusCode(410).body("code", equalTo("token_invalid"));
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/email-verification").then().statusCode(409)
                .body("code", equalTo("email_already_verified"));
    }

    @Test
    void unknownExpiredAndSupersededTokensAre410() {
        clock.set(Instant.parse("2026-06-11T09:00:00Z"));
        String profile = Profiles.register();
        verify("no-such-token").then().statusCode(410).body("code", equalTo("token_invalid"));
        String first = verificationToken(profile);
        String second = verificationToken(profile);
        verify(first).then().statusCode(410);
        clock.advance(Duration.ofHours(48));
        verify(second).then().statusCode(410).body("code", equalTo("token_invalid"));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile).then().body("emailVerified", equalTo(false));
        as(TestTokens.user(profile)).post("/api/v1/profiles/" + profile + "/email-verification").then().statusCode(403);
        verify(verificationToken(profile)).then().statusCode(200);
    }

    @Test
    void closedRegistrationTakesAnInvitationOnce() {
        String inviter = Profiles.onTier("basic");
        String token = as(TestTokens.user(inviter)).post("/api/v1/profiles/" + inviter + "/invitations").then()
                .statusCode(200).body("expiresAt", notNullValue()).extract().path("token");
        assertEquals(0L, rowsContaining(token));
        assertEquals(1L, Database.count(
                "SELECT count(*) FROM user_activity_log WHERE profile_id = ? AND action = 'invitation_created'", inviter));

        Settings.set("self_registration_enabled", "false");
        String email = "invited-" + UUID.randomUUID() + "@example.com";
        as(TestTokens.service()).body(Map.of("email", email)).post("/api/v1/profiles").then().statusCode(403)
                .body("code", equalTo("registration_closed"));
        as(TestTokens.service()).body(Map.of("email", email, "invitationToken", token)).post("/api/v1/profiles").then()
                .statusCode(201).body("invitedBy", equalTo(inviter));
        as(TestTokens.service()).body(Map.of("email", "second-" + email, "invitationToken", token))
                .post("/api/v1/profiles").then().statusCode(410).body("code", equalTo("token_invalid"));
    }

    @Test
    void onlyActivatedProfilesWithAccessInviteAndAtMost20AtATime() {
        Settings.set("require_email_verification", "true");
        String unverified = Profiles.register();
        as(TestTokens.user(unverified)).post("/api/v1/profiles/" + unverified + "/invitations").then().statusCode(403)
                .body("code", equalTo("forbidden"));

        String disabled = Profiles.onTier("disabled");
        as(TestTokens.service()).post("/api/v1/profiles/" + disabled + "/invitations").then().statusCode(403);

        String inviter = Profiles.onTier("free");
        for (int i = 0; i < 20; i++) {
            as(TestTokens.user(inviter)).post("/api/v1/profiles/" + inviter + "/invitations").then().statusCode(200);
        }
        as(TestTokens.user(inviter)).post("/api/v1/profiles/" + inviter + "/invitations").then().statusCode(409)
                .body("code", equalTo("too_many_invitations"));
        as(TestTokens.user(inviter)).post("/api/v1/profiles/" + disabled + "/invitations").then().statusCode(403);
    }

    /** A login recorded while its profile is erased answers 404, as one sent after the erasure does. */
    @Test
    void aLoginRacingTheProfilesErasureIs404() throws Exception {
        String profile = Profiles.onTier("free");
        CompletableFuture<io.restassured.response.ExtractableResponse<io.restassured.response.Response>> login;
        try (Connection erasure = Database.connect()) {
            erasure.setAutoCommit(false);
            Database.execute(erasure, "DELETE FROM profiles WHERE id = ?", profile);
            login = CompletableFuture.supplyAsync(() -> as(TestTokens.service())
                    .post("/api/v1/profiles/" + profile + "/logins").then().extract());
            Waiting.untilWaitingForALock(login);
            erasure.commit();
        }
        var answer = login.get(30, TimeUnit.SECONDS);
        assertEquals(404, answer.statusCode(), answer.asString());
        assertEquals("profile_not_found", answer.path("code"));
    }

    @Test
    void loginsUpdateStatsAndTheActivityLogWithTheRequestsOrigin() {
        String profile = Profiles.onTier("free");
        as(TestTokens.service()).header("User-Agent", "Portal/7.1").header("X-Forwarded-For", "203.0.113.9")
                .post("/api/v1/profiles/" + profile + "/logins").then().statusCode(204);
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/logins").then().statusCode(204);
        as(TestTokens.user(profile)).get("/api/v1/profiles/" + profile + "/stats").then().statusCode(200)
                .body("profileId", equalTo(profile)).body("loginCount", equalTo(2)).body("lastLogin", notNullValue());
        var entry = Database.query("""
                SELECT ip_address, user_agent FROM user_activity_log WHERE profile_id = ? AND action = 'login'
                ORDER BY seq LIMIT 1""", profile).get(0);
        assertEquals("Portal/7.1", entry.get("user_agent"));
        // proxy forwarding is off by default: the forwarded address is not believed
        assertEquals("127.0.0.1", entry.get("ip_address"));
        as(TestTokens.user(profile)).post("/api/v1/profiles/" + profile + "/logins").then().statusCode(403);
        as(TestTokens.service()).post("/api/v1/profiles/no-such-profile/logins").then().statusCode(404);
        as(TestTokens.service()).get("/api/v1/profiles/no-such-profile/stats").then().statusCode(404);
    }

    @Test
    void aProfileWithoutAStatisticsRowHasZeroStatisticsAndItsFirstLoginCreatesThem() {
        String profile = "p-" + UUID.randomUUID();
        // as the monolith left some: a profile, but no user_stats row
        Database.update("INSERT INTO profiles (id, email, tier) VALUES (?, ?, 'free')", profile, profile + "@example.com");
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/stats").then().statusCode(200)
                .body("profileId", equalTo(profile)).body("loginCount", equalTo(0)).body("totalDataPoints", equalTo(0));
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/logins").then().statusCode(204);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/stats").then().statusCode(200)
                .body("loginCount", equalTo(1)).body("created", notNullValue());
    }

    /** The answers stored for other tokens' requests about the profile hold its data too: they go with it. */
    @Test
    void eraseAlsoForgetsTheAnswersStoredForRequestsOthersMadeAboutIt() {
        String profile = "erase-" + UUID.randomUUID();
        String email = profile + "@example.com";
        as(TestTokens.service()).header("Idempotency-Key", "register-" + profile)
                .body(Map.of("id", profile, "email", email)).post("/api/v1/profiles").then().statusCode(201);
        // not verified yet: refused, and the refusal is stored for retries as well
        as(TestTokens.service()).header("Idempotency-Key", "consume-" + profile)
                .post("/api/v1/profiles/" + profile + "/usage/photos/consume").then().statusCode(403);
        asAdmin().header("Idempotency-Key", "grant-" + profile).body(Map.of("tierId", "basic", "days", 3))
                .post("/api/v1/profiles/" + profile + "/grants").then().statusCode(201);
        assertEquals(3L, Database.count("SELECT count(*) FROM idempotency_keys WHERE profile_id = ?", profile));

        asAdmin().delete("/api/v1/profiles/" + profile).then().statusCode(204);

        assertEquals(0L, rowsContaining(email), "the e-mail address is stored nowhere");
        assertEquals(2L, rowsContaining(profile), "only profile.erased and its numbering mention the profile");
        // the registration's answer is not replayed: its retry is a new registration
        as(TestTokens.service()).header("Idempotency-Key", "register-" + profile)
                .body(Map.of("id", profile, "email", email)).post("/api/v1/profiles").then().statusCode(201)
                .header("Idempotent-Replayed", (String) null);
    }

    @Test
    void eraseRemovesTokensKeysAndActivityToo() {
        String profile = Profiles.onTier("free");
        as(TestTokens.user(profile)).post("/api/v1/profiles/" + profile + "/invitations").then().statusCode(200);
        as(TestTokens.user(profile)).header("Idempotency-Key", "mine").post("/api/v1/profiles/" + profile
                + "/usage/photos/consume").then().statusCode(200);
        as(TestTokens.service()).post("/api/v1/profiles/" + profile + "/logins").then().statusCode(204);
        asAdmin().delete("/api/v1/profiles/" + profile).then().statusCode(204);
        for (String table : List.of("profile_tokens", "user_activity_log", "user_stats", "user_feature_usage",
                "access_grants", "redemption_failures")) {
            assertEquals(0L, Database.count("SELECT count(*) FROM " + table + " WHERE profile_id = ?", profile), table);
        }
        assertEquals(0L, Database.count("SELECT count(*) FROM idempotency_keys WHERE subject = ?", profile));
        // what stays is the announcement of the erasure, which carries no data, and its numbering
        assertEquals(List.of(Map.of("type", "profile.erased", "data", "{}")), Database.query(
                "SELECT type, data::TEXT AS data FROM events WHERE profile_id = ?", profile));
        assertEquals(2L, rowsContaining(profile), "no other row of any table mentions the profile");
        assertEquals(1L, Database.count("SELECT count(*) FROM event_sequences WHERE profile_id = ?", profile));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile).then().statusCode(404);
    }

    /**
     * The profiles it invited forget who invited them: their profile, their registration's activity
     * entry and their events keep no trace of the erased id; the rest of what they say stays.
     */
    @Test
    void eraseLeavesItsIdInNoProfileItInvited() {
        String inviter = Profiles.onTier("free");
        String token = as(TestTokens.user(inviter)).post("/api/v1/profiles/" + inviter + "/invitations").then()
                .statusCode(200).extract().path("token");
        // with a key: the answer stored for its retries names the inviter too
        String invitee = as(TestTokens.service()).header("Idempotency-Key", "invitee-" + UUID.randomUUID())
                .body(Map.of("email", "invitee-" + UUID.randomUUID() + "@example.com",
                "invitationToken", token)).post("/api/v1/profiles").then().statusCode(201)
                .body("invitedBy", equalTo(inviter)).extract().path("id");
        assertEquals(2L, Database.count("SELECT count(*) FROM events WHERE profile_id = ? AND data ->> 'invitedBy' = ?",
                invitee, inviter), "profile.registered and profile.activated name the inviter");

        asAdmin().delete("/api/v1/profiles/" + inviter).then().statusCode(204);

        assertEquals(2L, rowsContaining(inviter), "only profile.erased and its numbering mention the erased profile");
        as(TestTokens.service()).get("/api/v1/profiles/" + invitee).then().statusCode(200).body("invitedBy", nullValue());
        assertEquals(List.of(Map.of("details", "{\"baseTier\": \"free\"}")), Database.query("""
                SELECT details::TEXT AS details FROM user_activity_log
                WHERE profile_id = ? AND action = 'profile_registered'""", invitee));
        assertEquals(2L, Database.count("""
                SELECT count(*) FROM events WHERE profile_id = ? AND data -> 'invitedBy' = 'null'::JSONB
                AND data ->> 'id' = ?""", invitee, invitee), "the events keep their field, without a value");
    }

    /**
     * An erasure racing a registration under the profile's invitation: the erasure waits for it, and
     * the new profile forgets who invited it too.
     */
    @Test
    void anErasureWaitsForARegistrationUnderItsInvitationAndUnnamesItToo() throws Exception {
        String inviter = Profiles.onTier("free");
        String invitee = "invitee-" + UUID.randomUUID();
        try (Connection registration = Database.connect()) {
            registration.setAutoCommit(false);
            try (Statement statement = registration.createStatement()) {
                statement.executeUpdate("INSERT INTO profiles (id, email, role, tier, email_verified, invited_by, created, updated) "
                        + "VALUES ('" + invitee + "', '" + invitee + "@example.com', 'user', 'free', true, '" + inviter
                        + "', now(), now())");
                statement.executeUpdate("INSERT INTO user_activity_log (profile_id, action, details) VALUES ('" + invitee
                        + "', 'profile_registered', '{\"baseTier\": \"free\", \"invitedBy\": \"" + inviter + "\"}')");
                statement.executeUpdate("INSERT INTO events (profile_id, type, time, data) VALUES ('" + invitee
                        + "', 'profile.registered', now(), '{\"id\": \"" + invitee + "\", \"invitedBy\": \"" + inviter + "\"}')");
            }
            eraseWhileHeld(inviter, registration);
        }
    }

    /**
     * Erases {@code inviter} while {@code held} holds what the erasure waits for, then commits it:
     * the erasure answers 204 once it may go on, and no row mentions the erased profile but its
     * profile.erased and the numbering of its events.
     */
    private static void eraseWhileHeld(String inviter, Connection held) throws Exception {
        CompletableFuture<Integer> erased = CompletableFuture.supplyAsync(
                () -> asAdmin().delete("/api/v1/profiles/" + inviter).then().extract().statusCode());
        Waiting.untilWaitingForALock(erased);
        held.commit();
        assertEquals(204, erased.get(10, TimeUnit.SECONDS));
        assertEquals(2L, rowsContaining(inviter), "only profile.erased and its numbering mention the erased profile");
    }

    /** A profile registered under an invitation of {@code inviter}. */
    private static String invitedBy(String inviter) {
        String token = as(TestTokens.user(inviter)).post("/api/v1/profiles/" + inviter + "/invitations").then()
                .statusCode(200).extract().path("token");
        return as(TestTokens.service()).body(Map.of("email", "invitee-" + UUID.randomUUID() + "@example.com",
                "invitationToken", token)).post("/api/v1/profiles").then().statusCode(201).extract().path("id");
    }

    /**
     * An erasure racing a verification of a profile it invited, whose profile.activated names the
     * inviter: the erasure waits for it, and clears that event too.
     */
    @Test
    void anErasureWaitsForAnInviteesVerificationAndUnnamesItsEventToo() throws Exception {
        String inviter = Profiles.onTier("free");
        String invitee = invitedBy(inviter);
        try (Connection verification = Database.connect()) {
            verification.setAutoCommit(false);
            Database.execute(verification, "SELECT 1 FROM profiles WHERE id = ? FOR NO KEY UPDATE", invitee);
            Database.execute(verification, "INSERT INTO events (profile_id, type, time, data) VALUES (?, "
                    + "'profile.activated', now(), jsonb_build_object('id', ?::TEXT, 'invitedBy', ?::TEXT))",
                    invitee, invitee, inviter);
            eraseWhileHeld(inviter, verification);
        }
    }

    /**
     * A request that PostgreSQL ends to break a deadlock answers 503, to be sent again, and changes
     * nothing. Here an erasure waits for an invitee that another transaction holds, which then asks
     * for the profile the erasure holds: PostgreSQL ends the one that waited first, the erasure.
     */
    @Test
    void aRequestEndedToBreakADeadlockIs503AndChangesNothing() throws Exception {
        String inviter = Profiles.onTier("free");
        String invitee = invitedBy(inviter);
        try (Connection other = Database.connect()) {
            other.setAutoCommit(false);
            Database.execute(other, "SELECT 1 FROM profiles WHERE id = ? FOR NO KEY UPDATE", invitee);
            CompletableFuture<io.restassured.response.ExtractableResponse<io.restassured.response.Response>> erasure =
                    CompletableFuture.supplyAsync(() -> asAdmin().delete("/api/v1/profiles/" + inviter).then().extract());
            Waiting.untilWaitingForALock(erasure);
            CompletableFuture<Void> circle = CompletableFuture.runAsync(() -> {
                try {
                    Database.execute(other, "SELECT 1 FROM profiles WHERE id = ? FOR KEY SHARE", inviter);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            var answer = erasure.get(30, TimeUnit.SECONDS);
            assertEquals(503, answer.statusCode(), answer.asString());
            assertEquals("unavailable", answer.path("code"));
            circle.get(30, TimeUnit.SECONDS); // the other transaction got the profile: the erasure let go of it
            other.rollback();
        }
        as(TestTokens.service()).get("/api/v1/profiles/" + inviter).then().statusCode(200);
        as(TestTokens.service()).get("/api/v1/profiles/" + invitee).then().statusCode(200).body("invitedBy", equalTo(inviter));
        asAdmin().delete("/api/v1/profiles/" + inviter).then().statusCode(204);
    }

    /**
     * An erasure racing a writer of the profile (a consume in flight, holding its counter and having
     * written an event): the erasure waits for it, and then forgets what it wrote too.
     */
    @Test
    void anErasureForgetsWhatAWriterItWaitedForWrote() throws Exception {
        String profile = Profiles.onTier("free");
        try (Connection consume = Database.connect()) {
            consume.setAutoCommit(false);
            try (Statement statement = consume.createStatement()) {
                statement.executeUpdate("UPDATE user_stats SET photos_count = photos_count + 1 WHERE profile_id = '"
                        + profile + "'");
                statement.executeUpdate("INSERT INTO events (profile_id, type, time, data) VALUES ('" + profile
                        + "', 'usage.threshold_reached', now(), '{\"featureId\": \"photos\"}')");
            }
            CompletableFuture<Integer> erased = CompletableFuture.supplyAsync(
                    () -> asAdmin().delete("/api/v1/profiles/" + profile).then().extract().statusCode());
            Waiting.untilWaitingForALock(erased);
            consume.commit();
            assertEquals(204, erased.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(Map.of("type", "profile.erased", "data", "{}")), Database.query(
                "SELECT type, data::TEXT AS data FROM events WHERE profile_id = ?", profile));
    }
}
