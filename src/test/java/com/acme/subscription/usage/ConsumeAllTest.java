package com.acme.subscription.usage;

import static com.acme.subscription.support.ApiTest.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.entitlement.FeatureState;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.usage.UsageRepository.Consume;
import com.acme.subscription.usage.UsageRepository.Outcome;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The statement a group of consumes runs ({@link UsageRepository#consumeAll}): each consume of it
 * is answered and counted as it is alone, whatever the others are; one it cannot decide is left
 * undecided (null), with nothing changed for it.
 */
@QuarkusTest
class ConsumeAllTest {

    @Inject
    UsageRepository usage;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Test
    void eachConsumeOfOneStatementIsAnsweredAsItIsAlone() {
        String fits = Profiles.onTier("free");
        String full = Profiles.onTier("free");
        String stale = Profiles.onTier("free");
        String bool = Profiles.onTier("free");
        String twin = Profiles.onTier("free");
        String token = TestTokens.service();
        // what the consume of "fits" does alone
        as(token).body(Map.of("amount", 4)).post(UsageResourceTest.usage(twin, "photos") + "/consume").then()
                .statusCode(200);
        as(token).body(Map.of("used", 5)).put(UsageResourceTest.usage(full, "photos")).then().statusCode(200);
        as(token).body(Map.of("used", 3)).put(UsageResourceTest.usage(stale, "weight_entries")).then().statusCode(200);
        // the stored state no longer holds: this consume is answered from the grants
        Database.update("UPDATE profiles SET state_stale = true WHERE id = ?", stale);
        long statsBefore = stats(fits);

        List<Outcome> outcomes = pool.withTransaction(client -> usage.consumeAll(client, List.of(
                new Consume(fits, "photos", 4),
                new Consume(full, "photos", 1),
                new Consume("nobody-" + fits, "photos", 1),
                new Consume(stale, "weight_entries", 4),
                new Consume(bool, "export_csv", 1),
                new Consume(fits + "-unknown-feature", "no_such_feature", 1)), clock.instant()))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(6, outcomes.size(), "one outcome per consume, in their order");
        FeatureState consumed = feature(outcomes.get(0));
        assertTrue(outcomes.get(0).changed());
        assertEquals(4L, consumed.used(), "the counter as written");
        FeatureState refused = feature(outcomes.get(1));
        assertFalse(outcomes.get(1).changed(), "5 of 5 used: no room for 1 more");
        assertEquals(5L, refused.used());
        assertNull(outcomes.get(2), "an unknown profile has no stored state: left to the consume alone");
        assertNull(outcomes.get(3), "a state that does not hold: left to the consume alone, nothing changed for it");
        assertEquals(LimitType.BOOLEAN, feature(outcomes.get(4)).limitType());
        assertFalse(outcomes.get(4).changed(), "a boolean feature has no counter");
        assertNull(outcomes.get(5), "an unknown feature has no resolved limit: left to the consume alone");

        assertEquals(4, counter(fits, "photos"));
        assertEquals(5, counter(full, "photos"));
        assertEquals(3, counter(stale, "weight_entries"));
        assertEquals(0, Database.count("SELECT count(*) FROM user_feature_usage WHERE profile_id = ?", bool));
        assertEquals(statsBefore + 4, stats(fits), "user_stats in step: photos count as data points");
        assertEquals(4L, Database.count("SELECT photos_count FROM user_stats WHERE profile_id = ?", fits));
        assertEquals(List.of("usage.threshold_reached {\"used\": 4, \"limit\": 5, \"featureId\": \"photos\", \"threshold\": 80}"),
                events(twin), "alone, 4 of 5 reach 80 %");
        assertEquals(events(twin), events(fits), "the first count announces the thresholds it reaches, as alone");
        assertEquals(3L, Database.count("SELECT weight_entries_count FROM user_stats WHERE profile_id = ?", stale),
                "the reconcile's 3 only");
    }

    private static FeatureState feature(Outcome outcome) {
        return outcome.snapshot().features().get(0);
    }

    private static long counter(String profile, String feature) {
        return Database.count("SELECT usage_count FROM user_feature_usage WHERE profile_id = ? AND feature_id = ?",
                profile, feature);
    }

    private static List<Object> events(String profile) {
        return Database.query("SELECT type, data - 'resetAt' AS data FROM events WHERE profile_id = ? "
                + "AND type LIKE 'usage.%' ORDER BY id", profile).stream().map(row -> (Object) (row.get("type") + " "
                        + row.get("data"))).toList();
    }

    private static long stats(String profile) {
        return Database.count("SELECT total_data_points FROM user_stats WHERE profile_id = ?", profile);
    }
}
