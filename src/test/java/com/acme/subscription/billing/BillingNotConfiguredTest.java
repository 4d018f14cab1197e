package com.acme.subscription.billing;

import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET, billing answers 404 billing_not_configured. */
@QuarkusTest
@TestProfile(BillingNotConfiguredTest.WithoutStripe.class)
class BillingNotConfiguredTest {

    public static class WithoutStripe implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stripe.api-key", "", "stripe.webhook-secret", "");
        }
    }

    @Test
    void theWebhookIs404() {
        Instant now = Instant.now();
        Stripe.send(Stripe.event("customer.created", now, "{\"id\": \"cus_x\", \"object\": \"customer\"}"), now)
                .statusCode(404).contentType("application/problem+json").body("code", equalTo("billing_not_configured"));
    }
}
