package com.acme.subscription.billing;

import static com.acme.subscription.support.ApiTest.as;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Without the Stripe account a profile's billing endpoints answer 404 billing_not_configured (the
 * profile of {@link BillingNotConfiguredTest}: one service start for both).
 */
@QuarkusTest
@TestProfile(BillingNotConfiguredTest.WithoutStripe.class)
class BillingEndpointsNotConfiguredTest {

    @Test
    void everyProfileBillingEndpointIs404() {
        Database.update("UPDATE tiers SET stripe_price_id_monthly = ? WHERE id = 'premium'",
                BillingResourceTest.PREMIUM_MONTHLY);
        String profile = Profiles.register();
        String token = TestTokens.user(profile);
        as(token).get(BillingResourceTest.billing(profile)).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("billing_not_configured"));
        BillingResourceTest.checkout(token, profile, "premium", "month").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("billing_not_configured"));
        BillingResourceTest.portal(token, profile).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("billing_not_configured"));
        // the caller's rights come first: another profile's billing is 403 either way
        as(TestTokens.user("someone-else")).get(BillingResourceTest.billing(profile)).then().statusCode(403);
    }
}
