package com.acme.subscription.coupon;

import static com.acme.subscription.support.ApiTest.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** A redemption is all or nothing: a failure after the grant insert leaves no trace of it. */
@QuarkusTest
class RedemptionAtomicityTest {

    @AfterEach
    void restore() {
        Database.update("DROP TRIGGER IF EXISTS fail_redemption ON coupon_redemptions");
        Database.update("DROP FUNCTION IF EXISTS fail_redemption()");
        Settings.restoreSeed();
    }

    @Test
    void aFailureAfterTheGrantInsertLeavesNothing() {
        String profile = Profiles.onTier("free");
        String code = Coupons.create("wellpass", "premium", 30, 5);
        String couponId = (String) Database.query("SELECT id FROM coupons WHERE code = ?", code).get(0).get("id");
        // the redemption row is written after the counter and the grant: make exactly that insert fail
        Database.update("""
                CREATE FUNCTION fail_redemption() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected failure'; END $$""");
        Database.update("CREATE TRIGGER fail_redemption BEFORE INSERT ON coupon_redemptions FOR EACH ROW "
                + "WHEN (NEW.coupon_id = '" + couponId + "') EXECUTE FUNCTION fail_redemption()");

        as(TestTokens.user(profile)).body(Map.of("code", code)).post("/api/v1/profiles/" + profile + "/redemptions")
                .then().statusCode(500);

        assertEquals(0L, Database.count("SELECT redemption_count FROM coupons WHERE id = ?", couponId));
        assertEquals(0L, Database.count("SELECT count(*) FROM coupon_redemptions WHERE coupon_id = ?", couponId));
        assertEquals(0L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", profile));
        assertEquals(0L, Database.count("SELECT count(*) FROM user_activity_log WHERE profile_id = ? "
                + "AND action IN ('coupon_redeemed', 'grant_created', 'grant_paused')", profile));
    }
}
