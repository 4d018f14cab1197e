package com.acme.subscription.support;

import static com.acme.subscription.support.ApiTest.asAdmin;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Creating coupons through the API. */
public final class Coupons {

    private Coupons() {
    }

    /** Creates a coupon and answers its code. */
    public static String create(String type, String tier, Integer days, Integer max) {
        String code = type.toUpperCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of("code", code, "type", type, "tierId", tier));
        if (days != null) {
            body.put("durationDays", days);
        }
        if (max != null) {
            body.put("maxRedemptions", max);
        }
        asAdmin().body(body).post("/api/v1/coupons").then().statusCode(201);
        return code;
    }
}
