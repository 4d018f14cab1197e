package com.acme.subscription.entitlement;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** A profile's access reads the same alone (OFREP, accounts) as beside a feature (checks, consumes). */
@QuarkusTest
class ProfileAccessTest {

    @Inject
    EntitlementRepository entitlements;

    @Inject
    Pool pool;

    @AfterEach
    void restore() {
        Settings.restoreSeed();
    }

    ProfileAccess alone(String id, Instant now) {
        return entitlements.access(pool, id, now).await().atMost(Duration.ofSeconds(30));
    }

    ProfileAccess besideAFeature(String id, Instant now) {
        return entitlements.one(id, "weight_entries", now).await().atMost(Duration.ofSeconds(30)).access();
    }

    @Test
    void accessAloneIsTheAccessOfTheCheck() {
        String onBase = Profiles.onTier("basic");
        String withGrant = Profiles.onTier("free");
        String grant = asAdmin().body(Map.of("tierId", "premium", "days", 3)).post("/api/v1/profiles/" + withGrant + "/grants")
                .then().statusCode(201).extract().path("id");
        String disabled = Profiles.onTier("disabled");
        Settings.set("require_email_verification", "true");
        String unverified = Profiles.register();
        Instant now = Instant.now().plus(Duration.ofMinutes(1));

        for (String id : List.of(onBase, withGrant, disabled, unverified, "no-such-profile")) {
            assertEquals(besideAFeature(id, now), alone(id, now), id);
        }
        ProfileAccess granted = alone(withGrant, now);
        assertEquals(List.of("premium", "grant", grant), List.of(granted.tierId(), granted.source(), granted.grantId()));
        assertEquals(false, alone(unverified, now).activated());
        assertEquals(null, alone(disabled, now).tierId());
        assertEquals(false, alone("no-such-profile", now).exists());
    }
}
