package com.acme.subscription.catalog;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.CatalogNotifications;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The catalog copy of a replica (docs/catalog.md): served from memory, and dropped by the
 * NOTIFY of any change, whoever makes it. A change written straight into the database stands
 * for a change made through another replica. (While the LISTEN connection is down:
 * {@link CatalogListenerDownTest}.)
 */
@QuarkusTest
class CatalogCacheTest {

    @Inject
    CatalogCache cache;

    @Inject
    CatalogNotifications notifications;

    @BeforeEach
    void cachedAndQuiet() throws InterruptedException {
        notifications.awaitListening();
        notifications.clear();
        asAdmin().body(Map.of("name", "Cached", "description", "before", "sortOrder", 71)).put("/api/v1/tiers/cached_t1")
                .then().statusCode(201);
        // the PUT's own notification arrives after its response (after any of an earlier test's changes)
        assertTrue(notifications.await("tiers", 1, TimeUnit.SECONDS));
        as(TestTokens.service()).get("/api/v1/tiers").then().statusCode(200);
        notifications.clear();
    }

    @AfterEach
    void removeTier() {
        asAdmin().delete("/api/v1/tiers/cached_t1").then().statusCode(204);
    }

    @Test
    void catalogReadsAreServedFromMemoryUntilAChange() {
        long loads = cache.loads();
        as(TestTokens.service()).get("/api/v1/tiers").then().statusCode(200);
        as(TestTokens.service()).get("/api/v1/tiers/cached_t1").then().statusCode(200).body("description", equalTo("before"));
        as(TestTokens.service()).get("/api/v1/features").then().statusCode(200);
        as(TestTokens.service()).get("/api/v1/tier-limits").then().statusCode(200);
        asAdmin().get("/api/v1/settings").then().statusCode(200);
        assertEquals(loads, cache.loads());
    }

    @Test
    void aChangeMadeElsewhereReachesThisReplicaWithinOneSecond() throws InterruptedException {
        as(TestTokens.service()).get("/api/v1/tiers/cached_t1").then().statusCode(200).body("description", equalTo("before"));

        Database.update("UPDATE tiers SET description = 'after' WHERE id = 'cached_t1'");

        assertTrue(notifications.await("tiers", 1, TimeUnit.SECONDS), "no notification within 1 s");
        as(TestTokens.service()).get("/api/v1/tiers/cached_t1").then().statusCode(200).body("description", equalTo("after"));
    }

    @Test
    void everyCatalogTableAndTheSettingsNotify() throws InterruptedException {
        Database.update("UPDATE features SET description = description WHERE id = 'photos'");
        Database.update("UPDATE tier_limits SET limit_value = limit_value WHERE tier_id = 'free' AND feature_id = 'photos'");
        Database.update("UPDATE app_settings SET value = value WHERE key = 'trial_duration_days'");

        assertTrue(notifications.await("features", 1, TimeUnit.SECONDS));
        assertTrue(notifications.await("tier_limits", 1, TimeUnit.SECONDS));
        assertTrue(notifications.await("app_settings", 1, TimeUnit.SECONDS));
    }

    @Test
    void aChangeThroughThisReplicaIsReadBackAtOnce() {
        asAdmin().body(Map.of("name", "Cached", "description", "changed", "sortOrder", 71)).put("/api/v1/tiers/cached_t1")
                .then().statusCode(200).body("description", equalTo("changed"));
        as(TestTokens.service()).get("/api/v1/tiers/cached_t1").then().statusCode(200).body("description", equalTo("changed"));
        as(TestTokens.service()).get("/api/v1/tier-limits").then().statusCode(200).body("tiers", hasItem("cached_t1"));
    }
}
