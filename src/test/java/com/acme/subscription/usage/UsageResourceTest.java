package com.acme.subscription.usage;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;

/** Usage (docs/usage.md) through HTTP: consume, release, reconcile, idempotency and user_stats. */
@QuarkusTest
class UsageResourceTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    static String usage(String id, String feature) {
        return "/api/v1/profiles/" + id + "/usage/" + feature;
    }

    @Test
    void consumeCountsAndAnswersTheCheckAfterTheChange() {
        String id = Profiles.onTier("free");
        as(TestTokens.user(id)).body(Map.of("amount", 4)).post(usage(id, "photos") + "/consume").then().statusCode(200)
                .body("featureId", equalTo("photos")).body("used", equalTo(4)).body("remaining", equalTo(1))
                .body("allowed", equalTo(true)).body("limit", equalTo(5));
        // a missing amount (or body) means 1; the check says whether one more would be allowed
        as(TestTokens.user(id)).post(usage(id, "photos") + "/consume").then().statusCode(200)
                .body("used", equalTo(5)).body("remaining", equalTo(0)).body("allowed", equalTo(false))
                .body("reason", equalTo("limit_reached"));
        as(TestTokens.user(id)).body("{}").post(usage(id, "photos") + "/consume").then().statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("limit_exceeded"))
                .body("entitlement.featureId", equalTo("photos"))
                .body("entitlement.used", equalTo(5))
                .body("entitlement.allowed", equalTo(false))
                .body("entitlement.reason", equalTo("limit_reached"));
        assertEquals(5L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", id));
    }

    /**
     * A consume whose profile is erased while it writes its first count answers 404, as one sent after
     * the erasure does: its statement found the profile, and the counter's foreign key then did not.
     */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aConsumeRacingTheProfilesErasureIs404(boolean withKey) throws Exception {
        String id = Profiles.onTier("free");
        CompletableFuture<io.restassured.response.ExtractableResponse<io.restassured.response.Response>> consume;
        try (Connection erasure = Database.connect()) {
            erasure.setAutoCommit(false);
            Database.execute(erasure, "DELETE FROM profiles WHERE id = ?", id);
            consume = CompletableFuture.supplyAsync(() -> {
                var request = as(TestTokens.service()).body(Map.of("amount", 1));
                return (withKey ? request.header("Idempotency-Key", "erased-" + id) : request)
                        .post(usage(id, "weight_entries") + "/consume").then().extract();
            });
            Waiting.untilWaitingForALock(consume);
            erasure.commit();
        }
        var answer = consume.get(30, TimeUnit.SECONDS);
        assertEquals(404, answer.statusCode(), answer.asString());
        assertEquals("profile_not_found", answer.path("code"));
    }

    @Test
    void releaseNeverGoesBelowZeroAndIsNotForUsers() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("amount", 3)).post(usage(id, "weight_entries") + "/consume").then()
                .statusCode(200);
        as(TestTokens.user(id)).body(Map.of("amount", 1)).post(usage(id, "weight_entries") + "/release").then()
                .statusCode(403).body("code", equalTo("forbidden"));
        as(TestTokens.service()).body(Map.of("amount", 2)).post(usage(id, "weight_entries") + "/release").then()
                .statusCode(200).body("used", equalTo(1)).body("remaining", equalTo(29));
        as(TestTokens.service()).body(Map.of("amount", 10)).post(usage(id, "weight_entries") + "/release").then()
                .statusCode(200).body("used", equalTo(0));
        // releasing what was never used is fine too
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(id, "photos") + "/release").then()
                .statusCode(200).body("used", equalTo(0));
    }

    @Test
    void reconcileSetsTheCounterEvenAboveTheLimit() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("used", 7)).put(usage(id, "photos")).then().statusCode(200)
                .body("used", equalTo(7)).body("remaining", equalTo(0)).body("allowed", equalTo(false));
        as(TestTokens.service()).body(Map.of("used", 2)).put(usage(id, "photos")).then().statusCode(200)
                .body("used", equalTo(2)).body("allowed", equalTo(true));
        as(TestTokens.user(id)).body(Map.of("used", 0)).put(usage(id, "photos")).then().statusCode(403);
        as(TestTokens.service()).body(Map.of("used", -1)).put(usage(id, "photos")).then().statusCode(400)
                .body("errors[0].field", equalTo("used"));
        as(TestTokens.service()).body("{}").put(usage(id, "photos")).then().statusCode(400);
    }

    @Test
    void booleanFeaturesHaveNoCounter() {
        String id = Profiles.onTier("basic");
        for (String op : new String[] { "/consume", "/release" }) {
            as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(id, "export_csv") + op).then().statusCode(400)
                    .body("code", equalTo("not_metered"));
        }
        as(TestTokens.service()).body(Map.of("used", 1)).put(usage(id, "export_csv")).then().statusCode(400)
                .body("code", equalTo("not_metered"));
    }

    @ParameterizedTest(name = "amount {0} is 400")
    @ValueSource(strings = { "0", "-1", "2000000", "1000001", "\"x\"", "\"1\"", "1.5", "true", "null" })
    void badAmountsAre400AndChangeNothing(String amount) {
        String id = Profiles.onTier("free");
        String body = "{\"amount\": " + amount + "}";
        if ("null".equals(amount)) {
            // null is a missing amount: 1
            as(TestTokens.service()).body(body).post(usage(id, "photos") + "/consume").then().statusCode(200)
                    .body("used", equalTo(1));
            return;
        }
        as(TestTokens.service()).body(body).post(usage(id, "photos") + "/consume").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("amount"));
        as(TestTokens.service()).body(body).post(usage(id, "photos") + "/release").then().statusCode(400);
        assertEquals(0L, Database.count("SELECT count(*) FROM user_feature_usage WHERE profile_id = ?", id));
    }

    @Test
    void deniedConsumesSayWhy() {
        String free = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(free, "ai_calls") + "/consume").then()
                .statusCode(403).body("code", equalTo("feature_disabled"))
                .body("entitlement.reason", equalTo("feature_disabled"));

        String disabled = Profiles.onTier("disabled");
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(disabled, "photos") + "/consume").then()
                .statusCode(403).body("code", equalTo("access_disabled"));

        Settings.set("require_email_verification", "true");
        String unverified = Profiles.register();
        as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(unverified, "photos") + "/consume").then()
                .statusCode(403).body("code", equalTo("email_not_verified"));
        as(TestTokens.service()).get("/api/v1/profiles/" + unverified + "/entitlements/photos").then()
                .body("allowed", equalTo(false)).body("reason", equalTo("email_not_verified"));
        assertEquals(0L, Database.count("SELECT count(*) FROM user_feature_usage WHERE profile_id IN (?, ?, ?)",
                free, disabled, unverified));
    }

    @Test
    void unknownProfilesAndFeaturesAre404() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).post(usage(id, "nosuch") + "/consume").then().statusCode(404)
                .body("code", equalTo("feature_not_found"));
        as(TestTokens.service()).post(usage("no-such-profile", "photos") + "/consume").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        as(TestTokens.service()).post(usage("no-such-profile", "photos") + "/release").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
    }

    @Test
    void userStatsFollowConsumesAndReleases() {
        String id = Profiles.onTier("basic");
        as(TestTokens.service()).body(Map.of("amount", 3)).post(usage(id, "weight_entries") + "/consume").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 2)).post(usage(id, "photos") + "/consume").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 2)).post(usage(id, "ai_calls") + "/consume").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 4)).post(usage(id, "nutrition_entries") + "/consume").then().statusCode(200);
        as(TestTokens.service()).body(Map.of("amount", 10)).post(usage(id, "photos") + "/release").then().statusCode(200);
        var stats = Database.query("""
                SELECT weight_entries_count, ai_calls_count, photos_count, total_data_points FROM user_stats
                WHERE profile_id = ?""", id).get(0);
        assertEquals(Map.of("weight_entries_count", 3, "ai_calls_count", 2, "photos_count", 0, "total_data_points", 7),
                stats);
    }

    @Test
    void userStatsFollowReconciliationsByTheirDifference() {
        String id = Profiles.onTier("basic");
        as(TestTokens.service()).body(Map.of("amount", 2)).post(usage(id, "ai_calls") + "/consume").then().statusCode(200);
        assertEquals(2, aiCalls(id));
        reconcile(id, "ai_calls", 5);
        assertEquals(5, aiCalls(id), "up by 3, from 2 to 5");
        reconcile(id, "ai_calls", 1);
        assertEquals(1, aiCalls(id), "down by 4");
        reconcile(id, "ai_calls", Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, aiCalls(id));
        reconcile(id, "ai_calls", 0);
        assertEquals(0, aiCalls(id));

        // the statistics count for good where a counter starts afresh each period: a sum past
        // INTEGER's maximum is clamped, not an error
        Database.update("UPDATE user_stats SET ai_calls_count = 10 WHERE profile_id = ?", id);
        reconcile(id, "ai_calls", Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, aiCalls(id));
    }

    /**
     * A reconcile racing the first consume of a feature: the counter that consume created is not in
     * the reconcile's snapshot, yet the reconcile's upsert meets it once it commits. The statistics
     * move by the difference from that counter (5 - 1), not by the whole new value.
     */
    @Test
    void aReconcileRacingTheFirstConsumeMovesTheStatsByTheDifference() throws Exception {
        String id = Profiles.onTier("basic");
        try (Connection consume = Database.connect()) {
            consume.setAutoCommit(false);
            try (Statement statement = consume.createStatement()) {
                // what a first consume of 1 writes, in flight
                statement.executeUpdate("INSERT INTO user_feature_usage (profile_id, feature_id, usage_count, created, "
                        + "updated) VALUES ('" + id + "', 'photos', 1, now(), now())");
                statement.executeUpdate("UPDATE user_stats SET photos_count = photos_count + 1, "
                        + "total_data_points = total_data_points + 1 WHERE profile_id = '" + id + "'");
            }
            CompletableFuture<Integer> reconciled = CompletableFuture.supplyAsync(() -> as(TestTokens.service())
                    .body(Map.of("used", 5)).put(usage(id, "photos")).then().statusCode(200).extract().path("used"));
            Waiting.untilWaitingForALock(reconciled);
            consume.commit();
            assertEquals(5, reconciled.get(10, TimeUnit.SECONDS));
        }
        assertEquals(Map.of("photos_count", 5, "total_data_points", 5), Database.query(
                "SELECT photos_count, total_data_points FROM user_stats WHERE profile_id = ?", id).get(0));
    }

    private static void reconcile(String id, String feature, int used) {
        as(TestTokens.service()).body(Map.of("used", used)).put(usage(id, feature)).then().statusCode(200)
                .body("used", equalTo(used));
    }

    private static int aiCalls(String id) {
        return ((Number) Database.query("SELECT ai_calls_count FROM user_stats WHERE profile_id = ?", id).get(0)
                .get("ai_calls_count")).intValue();
    }

    @Test
    void theSameIdempotencyKeyTwiceIncrementsOnceAndAnswersTheSame() {
        String id = Profiles.onTier("free");
        String first = as(TestTokens.service()).header("Idempotency-Key", "consume-1").body(Map.of("amount", 2))
                .post(usage(id, "photos") + "/consume").then().statusCode(200).body("used", equalTo(2))
                .extract().asString();
        String second = as(TestTokens.service()).header("Idempotency-Key", "consume-1").body(Map.of("amount", 2))
                .post(usage(id, "photos") + "/consume").then().statusCode(200).header("Idempotent-Replayed", "true")
                .extract().asString();
        assertEquals(first, second);
        assertEquals(2L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", id));

        // defaults are applied before comparing: {} is {"amount": 1}
        as(TestTokens.service()).header("Idempotency-Key", "consume-2").body("{}").post(usage(id, "photos") + "/consume")
                .then().statusCode(200).body("used", equalTo(3));
        as(TestTokens.service()).header("Idempotency-Key", "consume-2").body(Map.of("amount", 1))
                .post(usage(id, "photos") + "/consume").then().statusCode(200).body("used", equalTo(3));

        as(TestTokens.service()).header("Idempotency-Key", "consume-1").body(Map.of("amount", 1))
                .post(usage(id, "photos") + "/consume").then().statusCode(422)
                .body("code", equalTo("idempotency_key_reused")).body("title", equalTo("Unprocessable Content"));
        assertEquals(3L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", id));
    }

    @Test
    void aRefusalIsStoredAndReplayedToo() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).header("Idempotency-Key", "big-1").body(Map.of("amount", 6))
                .post(usage(id, "photos") + "/consume").then().statusCode(409).body("code", equalTo("limit_exceeded"));
        as(TestTokens.service()).body(Map.of("used", 0)).put(usage(id, "photos")).then().statusCode(200);
        asAdmin().body(Map.of("limit", 100)).put("/api/v1/profiles/" + id + "/overrides/photos").then().statusCode(201);
        // the first answer stands for the key, even though the same request would now succeed
        as(TestTokens.service()).header("Idempotency-Key", "big-1").body(Map.of("amount", 6))
                .post(usage(id, "photos") + "/consume").then().statusCode(409).body("code", equalTo("limit_exceeded"))
                .contentType("application/problem+json");
    }

    @Test
    void keysAreScopedToSubjectAndPath() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).header("Idempotency-Key", "shared").post(usage(id, "photos") + "/consume").then()
                .statusCode(200).body("used", equalTo(1));
        as(TestTokens.user(id)).header("Idempotency-Key", "shared").post(usage(id, "photos") + "/consume").then()
                .statusCode(200).body("used", equalTo(2));
        as(TestTokens.service()).header("Idempotency-Key", "shared").post(usage(id, "weight_entries") + "/consume")
                .then().statusCode(200).body("used", equalTo(1));
    }

    /** A counter whose feature stopped resetting answers no reset time on any write, as the check does. */
    @Test
    void aCounterWhoseFeatureNoLongerResetsAnswersNoResetTime() {
        String feature = "no_reset_" + Long.toString(System.nanoTime(), 36).replaceAll("[^a-z0-9]", "");
        Map<String, Object> monthly = Map.of("name", "No reset", "limitType", "count", "resetPeriod", "monthly",
                "defaultLimit", 100);
        asAdmin().body(monthly).put("/api/v1/features/" + feature).then().statusCode(201);
        try {
            String id = Profiles.onTier("free");
            as(TestTokens.service()).body(Map.of("amount", 5)).post(usage(id, feature) + "/consume").then()
                    .statusCode(200).body("resetAt", notNullValue());
            Map<String, Object> never = new java.util.HashMap<>(monthly);
            never.put("resetPeriod", "never");
            asAdmin().body(never).put("/api/v1/features/" + feature).then().statusCode(200);

            as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/" + feature).then().statusCode(200)
                    .body("resetPeriod", equalTo("never")).body("resetAt", nullValue());
            as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(id, feature) + "/consume").then()
                    .statusCode(200).body("used", equalTo(6)).body("resetAt", nullValue());
            as(TestTokens.service()).body(Map.of("amount", 1)).post(usage(id, feature) + "/release").then()
                    .statusCode(200).body("used", equalTo(5)).body("resetAt", nullValue());
            as(TestTokens.service()).body(Map.of("used", 4)).put(usage(id, feature)).then()
                    .statusCode(200).body("used", equalTo(4)).body("resetAt", nullValue());
        } finally {
            Database.update("DELETE FROM user_feature_usage WHERE feature_id = ?", feature);
            asAdmin().delete("/api/v1/features/" + feature);
        }
    }

    /** A retry spelt otherwise (an escaped letter, a trailing slash) names the same resource, so its key replays. */
    @Test
    void aKeyScopesTheResourceHoweverItsPathIsSpelt() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).header("Idempotency-Key", "spelt").post(usage(id, "photos") + "/consume").then()
                .statusCode(200).body("used", equalTo(1));
        for (String spelling : List.of(usage(id, "photos") + "/consume/", usage(id, "ph%6Ftos") + "/consume",
                usage("%" + Integer.toHexString(id.charAt(0)) + id.substring(1), "photos") + "/consume")) {
            as(TestTokens.service()).urlEncodingEnabled(false).header("Idempotency-Key", "spelt").post(spelling).then()
                    .statusCode(200).header("Idempotent-Replayed", "true").body("used", equalTo(1));
        }
        assertEquals(1L, Database.count(
                "SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = 'photos'", id));
    }

    @Test
    void aKeyStillInProgressIs409() {
        String id = Profiles.onTier("free");
        String path = usage(id, "photos") + "/consume";
        Database.update("""
                INSERT INTO idempotency_keys (subject, method, path, idempotency_key, request_hash, state,
                                              locked_until, created, expires_at)
                VALUES ('billing', 'POST', ?, 'running', 'x', 'in_progress', now() + interval '1 minute', now(),
                        now() + interval '1 day')""", path);
        as(TestTokens.service()).header("Idempotency-Key", "running").post(path).then().statusCode(409)
                .body("code", equalTo("idempotency_key_in_use"));
    }

    @ParameterizedTest(name = "Idempotency-Key \"{0}\" is 400")
    @ValueSource(strings = { "", "é", "tab\there", "ünïcode" })
    void badKeysAre400(String key) {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).header("Idempotency-Key", key).post(usage(id, "photos") + "/consume").then()
                .statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void aTooLongKeyIs400() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).header("Idempotency-Key", "k".repeat(201)).post(usage(id, "photos") + "/consume")
                .then().statusCode(400);
        as(TestTokens.service()).header("Idempotency-Key", "k".repeat(200)).post(usage(id, "photos") + "/consume")
                .then().statusCode(200);
    }

    @Test
    void checksAndConsumesAreCounted() {
        String id = Profiles.onTier("free");
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/caliper_entries").then().statusCode(200);
        as(TestTokens.service()).post(usage(id, "caliper_entries") + "/consume").then().statusCode(200);
        com.acme.subscription.support.ApiTest.management().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "entitlement_checks_total{feature=\"caliper_entries\",result=\"allowed\"}"))
                .body(org.hamcrest.Matchers.containsString(
                        "usage_operations_total{feature=\"caliper_entries\",operation=\"consume\",result=\"ok\"}"));
    }

    @Test
    void inactiveFeaturesAreCountedButNotLimited() {
        asAdmin().body(Map.of("name", "Old", "defaultLimit", 0, "active", false)).put("/api/v1/features/old_f2").then()
                .statusCode(201);
        String id = Profiles.onTier("free");
        as(TestTokens.service()).body(Map.of("amount", 50)).post(usage(id, "old_f2") + "/consume").then()
                .statusCode(200).body("used", equalTo(50)).body("limit", nullValue()).body("allowed", equalTo(true));
        as(TestTokens.service()).body(Map.of("used", 0)).put(usage(id, "old_f2")).then().statusCode(200);
        Database.update("DELETE FROM user_feature_usage WHERE feature_id = 'old_f2'");
        asAdmin().delete("/api/v1/features/old_f2").then().statusCode(204);
    }
}
