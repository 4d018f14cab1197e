package com.acme.subscription.catalog;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;

import io.quarkus.test.junit.QuarkusTest;

/** Tiers and features held by profiles, grants, coupons, usage or overrides are never deleted behind them. */
@QuarkusTest
class CatalogInUseTest {

    @Test
    void aTierThatAProfileGrantOrCouponUsesIsInUse() {
        asAdmin().body(Map.of("name", "Held", "sortOrder", 60)).put("/api/v1/tiers/held_t5").then().statusCode(201);
        Database.update("INSERT INTO profiles (id, email, tier) VALUES ('p-held', 'held@example.com', 'held_t5')");
        asAdmin().delete("/api/v1/tiers/held_t5").then().statusCode(409).body("code", equalTo("tier_in_use"));

        Database.update("UPDATE profiles SET tier = 'free' WHERE id = 'p-held'");
        Database.update("""
                INSERT INTO access_grants (id, profile_id, tier_id, granted_by, valid_from, valid_until)
                VALUES ('g-held', 'p-held', 'held_t5', 'admin', now(), now() + interval '1 day')""");
        asAdmin().delete("/api/v1/tiers/held_t5").then().statusCode(409).body("code", equalTo("tier_in_use"));

        Database.update("DELETE FROM access_grants WHERE id = 'g-held'");
        Database.update("INSERT INTO coupons (id, code, type, tier_id, duration_days) VALUES ('c-held', 'HELD', 'period', 'held_t5', 30)");
        asAdmin().delete("/api/v1/tiers/held_t5").then().statusCode(409).body("code", equalTo("tier_in_use"));

        Database.update("DELETE FROM coupons WHERE id = 'c-held'");
        asAdmin().delete("/api/v1/tiers/held_t5").then().statusCode(204);
        Database.update("DELETE FROM profiles WHERE id = 'p-held'");
    }

    @Test
    void aFeatureWithUsageOrAnOverrideIsInUseAndKeepsItsLimits() {
        asAdmin().body(Map.of("name", "Held feature", "defaultLimit", 3)).put("/api/v1/features/held_f1").then()
                .statusCode(201);
        asAdmin().body(Map.of("limit", 9)).put("/api/v1/tiers/free/limits/held_f1").then().statusCode(201);
        Database.update("INSERT INTO profiles (id, email) VALUES ('p-held-f', 'held-f@example.com')");
        Database.update("INSERT INTO user_feature_usage (profile_id, feature_id, usage_count) VALUES ('p-held-f', 'held_f1', 2)");
        asAdmin().delete("/api/v1/features/held_f1").then().statusCode(409).body("code", equalTo("feature_in_use"));
        assertEquals(1, Database.count("SELECT count(*) FROM tier_limits WHERE feature_id = 'held_f1'"));

        Database.update("DELETE FROM user_feature_usage WHERE profile_id = 'p-held-f'");
        Database.update("INSERT INTO user_feature_restrictions (profile_id, feature_id, limit_value) VALUES ('p-held-f', 'held_f1', 1)");
        asAdmin().delete("/api/v1/features/held_f1").then().statusCode(409).body("code", equalTo("feature_in_use"));

        Database.update("DELETE FROM user_feature_restrictions WHERE profile_id = 'p-held-f'");
        asAdmin().delete("/api/v1/features/held_f1").then().statusCode(204);
        assertEquals(0, Database.count("SELECT count(*) FROM tier_limits WHERE feature_id = 'held_f1'"));
        Database.update("DELETE FROM profiles WHERE id = 'p-held-f'");
    }

    @Test
    void updatedTimestampsAreStoredAsUtc() {
        asAdmin().body(Map.of("name", "Stamp", "sortOrder", 61)).put("/api/v1/tiers/stamp_t6").then().statusCode(201);
        var row = Database.query("SELECT created = updated AS same FROM tiers WHERE id = 'stamp_t6'").get(0);
        assertEquals(true, row.get("same"));
        asAdmin().delete("/api/v1/tiers/stamp_t6").then().statusCode(204);
    }
}
