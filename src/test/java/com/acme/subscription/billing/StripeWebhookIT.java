package com.acme.subscription.billing;

import static com.acme.subscription.support.ApiTest.anonymous;
import static com.acme.subscription.support.ApiTest.as;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged service, configured by STRIPE_* as in production, on the clock of this machine. */
@QuarkusIntegrationTest
class StripeWebhookIT {

    @Test
    void signedEventsGrantTheTierOnceAndForgedOnesNothing() throws Exception {
        Database.update("UPDATE tiers SET stripe_price_id_monthly = ? WHERE id = 'premium'",
                StripeWebhookTest.PREMIUM_MONTHLY);
        String profile = Profiles.onTier("free");
        String customer = "cus_" + UUID.randomUUID().toString().substring(0, 8);
        String sub = "sub_" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant periodEnd = now.plus(Duration.ofDays(30));

        String forged = Stripe.event("checkout.session.completed", now, Stripe.checkout(profile, customer, sub));
        anonymous().header("Stripe-Signature", Stripe.signature(forged, now, "whsec_another")).body(forged)
                .post("/api/v1/billing/stripe/webhook").then().statusCode(400).body("code", equalTo("invalid_signature"));

        Stripe.send(Stripe.event("checkout.session.completed", now, Stripe.checkout(profile, customer, sub)), now)
                .statusCode(200).body("applied", equalTo(true));
        String created = Stripe.event("customer.subscription.created", now, Stripe.subscription(sub, customer, "active",
                StripeWebhookTest.PREMIUM_MONTHLY, "month", now, periodEnd, false));
        Stripe.send(created, now).statusCode(200).body("applied", equalTo(true));
        Stripe.send(created, now).statusCode(200).body("applied", equalTo(false));

        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then().statusCode(200)
                .body("tier.id", equalTo("premium")).body("tier.source", equalTo("grant"))
                .body("tier.validUntil", equalTo(periodEnd.plus(Duration.ofDays(3)).toString()));
        Database.update("UPDATE tiers SET stripe_price_id_monthly = NULL WHERE id = 'premium'");
    }
}
