package com.acme.subscription.catalog;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A catalog or settings change is seen on every replica within 1 s (docs/catalog.md). A change
 * written straight into the database stands for one made through another replica; this
 * replica has read (and cached) the catalog before it. Runs against the packaged jar too
 * ({@code CatalogReplicasIT}).
 */
@QuarkusTest
class CatalogReplicasTest {

    @BeforeEach
    void tier() {
        asAdmin().body(Map.of("name", "Elsewhere", "description", "before", "sortOrder", 73))
                .put("/api/v1/tiers/elsewhere_t1").then().statusCode(201);
        asAdmin().body(Map.of("limit", 5)).put("/api/v1/tiers/elsewhere_t1/limits/photos").then().statusCode(201);
    }

    @AfterEach
    void restore() {
        Database.update("UPDATE profiles SET tier = 'free' WHERE tier = 'elsewhere_t1'");
        asAdmin().delete("/api/v1/tiers/elsewhere_t1").then().statusCode(204);
        Settings.restoreSeed();
    }

    @Test
    void aTierChangedElsewhereIsServedWithinOneSecond() {
        assertEquals("before", description());

        Database.update("UPDATE tiers SET description = 'after' WHERE id = 'elsewhere_t1'");

        withinOneSecond("after", this::description);
    }

    @Test
    void aSettingChangedElsewhereIsServedWithinOneSecond() {
        String days = asAdmin().get("/api/v1/settings").then().statusCode(200).extract().path("invitation_ttl_days");
        String other = "7".equals(days) ? "8" : "7";
        try {
            Database.update("UPDATE app_settings SET value = ? WHERE key = 'invitation_ttl_days'", other);

            withinOneSecond(other,
                    () -> asAdmin().get("/api/v1/settings").then().statusCode(200).extract().path("invitation_ttl_days"));
        } finally {
            asAdmin().body(Map.of("value", days)).put("/api/v1/settings/invitation_ttl_days").then().statusCode(200);
        }
    }

    @Test
    void aLimitChangedElsewhereCountsForTheVeryNextCheck() {
        String profile = Profiles.onTier("elsewhere_t1");
        assertEquals(5, limit(profile));

        Database.update("UPDATE tier_limits SET limit_value = 9 WHERE tier_id = 'elsewhere_t1' AND feature_id = 'photos'");

        // checks read the limit in their own statement: no wait at all
        assertEquals(9, limit(profile));
        withinOneSecond(9, () -> as(TestTokens.service()).get("/api/v1/tier-limits").then()
                .statusCode(200).extract().path("limits.elsewhere_t1.photos"));
    }

    private String description() {
        return as(TestTokens.service()).get("/api/v1/tiers/elsewhere_t1").then().statusCode(200).extract().path("description");
    }

    private static int limit(String profile) {
        return as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/photos").then().statusCode(200)
                .extract().path("limit");
    }

    /** Asks until the answer is the expected one; fails with the last answer if it is not within 1 s. */
    private static <T> void withinOneSecond(T expected, Callable<T> ask) {
        Waiting.within(Duration.ofSeconds(1)).until(ask, equalTo(expected));
    }
}
