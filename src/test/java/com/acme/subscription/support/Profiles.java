package com.acme.subscription.support;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;

import java.util.Map;
import java.util.UUID;

/** Arranging profiles and settings through the API. */
public final class Profiles {

    private Profiles() {
    }

    /** Registers a profile as the service and answers its id. */
    public static String register() {
        String id = "p-" + UUID.randomUUID();
        as(TestTokens.service()).body(Map.of("id", id, "email", id + "@example.com")).post("/api/v1/profiles")
                .then().statusCode(201);
        return id;
    }

    /** A profile that is active at once, on the given base tier, without a trial. */
    public static String onTier(String tier) {
        Settings.set("require_email_verification", "false");
        Settings.set("trial_duration_days", "0");
        String id = register();
        asAdmin().body(Map.of("tier", tier)).patch("/api/v1/profiles/" + id).then().statusCode(200);
        return id;
    }
}
