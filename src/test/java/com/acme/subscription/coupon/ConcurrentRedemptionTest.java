package com.acme.subscription.coupon;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Parallel;
import com.acme.subscription.support.Parallel.Result;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** Redemptions really run in parallel: the count never passes the maximum, a profile never redeems twice. */
@QuarkusTest
class ConcurrentRedemptionTest {

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    @Test
    void sixtyProfilesOnACouponOfTenGiveExactlyTen() throws Exception {
        String code = Coupons.create("period", "basic", 30, 10);
        List<Parallel.Call> calls = new ArrayList<>();
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String profile = Profiles.onTier("free");
            profiles.add(profile);
            calls.add(new Parallel.Call(TestTokens.user(profile), "/api/v1/profiles/" + profile + "/redemptions",
                    "{\"code\": \"" + code + "\"}"));
        }
        List<Result> results = Parallel.post(calls);
        Map<Integer, Long> byStatus = results.stream()
                .collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        assertEquals(Map.of(201, 10L, 410, 50L), byStatus);
        results.stream().filter(r -> r.status() == 410)
                .forEach(r -> assertEquals(true, r.body().contains("\"code\":\"coupon_exhausted\""), r.body()));
        String couponId = (String) Database.query("SELECT id FROM coupons WHERE code = ?", code).get(0).get("id");
        asAdmin().get("/api/v1/coupons/" + couponId).then().statusCode(200)
                .body("redemptionCount", org.hamcrest.Matchers.equalTo(10));
        assertEquals(10L, Database.count("SELECT count(*) FROM coupon_redemptions WHERE coupon_id = ?", couponId));
        assertEquals(10L, Database.count("SELECT count(*) FROM access_grants WHERE coupon_id = ?", couponId));
    }

    @Test
    void oneProfileRedeemingAnUnlimitedCoupon20TimesAtOnceSucceedsOnceAndFailsTenTimes() throws Exception {
        String code = Coupons.create("period", "premium", 30, null);
        String profile = Profiles.onTier("free");
        Parallel.Call call = new Parallel.Call(TestTokens.user(profile), "/api/v1/profiles/" + profile + "/redemptions",
                "{\"code\": \"" + code + "\"}");
        List<Result> results = Parallel.post(Collections.nCopies(20, call));
        Map<Integer, Long> byStatus = results.stream()
                .collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        // one redeems; the others fail one after the other, and from the tenth failure on are throttled
        assertEquals(Map.of(201, 1L, 409, 10L, 429, 9L), byStatus);
        assertEquals(1L, Database.count("SELECT redemption_count FROM coupons WHERE code = ?", code));
        assertEquals(1L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", profile));
    }
}
