package com.acme.subscription.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/** The profile lock that serialises changes to one profile (GrantRepository.lockProfile). */
@QuarkusTest
class ProfileLockTest {

    @Inject
    GrantRepository grants;

    @Inject
    Pool pool;

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    /** Runs a blocking JDBC check off the event loop, while the caller's transaction is open. */
    static Uni<List<String>> elsewhere(String profileId) {
        return Uni.createFrom().item(() -> List.of(
                outcome("SELECT id FROM profiles WHERE id = ? FOR NO KEY UPDATE NOWAIT", profileId),
                outcome("SELECT id FROM profiles WHERE id = ? FOR UPDATE NOWAIT", profileId),
                outcome("SELECT id FROM profiles WHERE id = ? FOR KEY SHARE NOWAIT", profileId)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static String outcome(String sql, String profileId) {
        try {
            return Database.query(sql, profileId).size() == 1 ? "taken" : "missing";
        } catch (IllegalStateException e) {
            return e.getCause() instanceof SQLException cause && "55P03".equals(cause.getSQLState()) ? "busy" : e.toString();
        }
    }

    @Test
    void itHoldsTheProfileRowAgainstOtherChangesButNotAgainstReferences() {
        String id = Profiles.onTier("free");
        List<String> whileHeld = pool.withTransaction(tx -> grants.lockProfile(tx, id)
                .invoke(found -> assertTrue(found))
                .flatMap(found -> elsewhere(id)))
                .await().atMost(Duration.ofSeconds(30));
        // another change waits; inserting a row that references the profile (a grant, a counter) does not
        assertEquals(List.of("busy", "busy", "taken"), whileHeld);
        // released with the transaction
        assertEquals(List.of("taken", "taken", "taken"), elsewhere(id).await().atMost(Duration.ofSeconds(30)));
    }

    @Test
    void itAnswersWhetherTheProfileExists() {
        assertFalse(pool.withTransaction(tx -> grants.lockProfile(tx, "no-such-profile"))
                .await().atMost(Duration.ofSeconds(30)));
    }
}
