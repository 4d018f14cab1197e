package com.acme.subscription.catalog;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.common.database.OwnConnections;
import com.acme.subscription.support.CatalogNotifications;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * While this replica's LISTEN connection is down, the notifications of changes made elsewhere are
 * lost, so its catalog copy must not be served (docs/catalog.md). The listener reconnects within a
 * second in production; here it waits an hour, so that the test reads in the window where nobody
 * listens, not after the reconnection has dropped the copy anyway.
 */
@QuarkusTest
@TestProfile(CatalogListenerDownTest.ListenerStaysDown.class)
class CatalogListenerDownTest {

    /** The LISTEN connection, once lost, is re-established only after 6 minutes (1 h / 10). */
    public static class ListenerStaysDown implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("subscriptions.catalog.listen-retry", "1h");
        }
    }

    private static final String LISTENER = OwnConnections.applicationName(CatalogCache.ROLE);
    private static final String LISTENING = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?";

    @Inject
    CatalogCache cache;

    @Inject
    CatalogNotifications notifications;

    @BeforeEach
    void cached() throws InterruptedException {
        notifications.awaitListening();
        notifications.clear();
        asAdmin().body(Map.of("name", "Unheard", "description", "before", "sortOrder", 72)).put("/api/v1/tiers/unheard_t1")
                .then().statusCode(201);
        assertTrue(notifications.await("tiers", 1, TimeUnit.SECONDS));
    }

    @AfterEach
    void removeTier() {
        asAdmin().delete("/api/v1/tiers/unheard_t1").then().statusCode(204);
    }

    @Test
    void aChangeMadeElsewhereWhileTheListenerIsDownIsServedAtOnce() {
        // the copy is in use: a second read does not load
        as(TestTokens.service()).get("/api/v1/tiers/unheard_t1").then().statusCode(200).body("description", equalTo("before"));
        long loads = cache.loads();
        as(TestTokens.service()).get("/api/v1/tiers/unheard_t1").then().statusCode(200).body("description", equalTo("before"));
        assertEquals(loads, cache.loads());

        long killed = Database.count("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE application_name = ? AND pid <> pg_backend_pid()""", LISTENER);
        assertEquals(1, killed);
        // the service has seen its connection go
        Waiting.within(Duration.ofSeconds(5)).until(() -> !cache.listening());
        // the notification of this change is lost: nobody listens
        Database.update("UPDATE tiers SET description = 'unheard' WHERE id = 'unheard_t1'");

        as(TestTokens.service()).get("/api/v1/tiers/unheard_t1").then().statusCode(200).body("description", equalTo("unheard"));
        assertEquals(loads + 1, cache.loads(), "read from the database");
        assertEquals(0, Database.count(LISTENING, LISTENER), "the read was made while nobody listened");
        assertFalse(cache.listening());
    }
}
