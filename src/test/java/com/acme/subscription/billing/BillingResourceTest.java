package com.acme.subscription.billing;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.billing.FakeStripe.Request;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A profile's billing and its Stripe pages, against a fake Stripe API that checks what stripe-java
 * sends (docs/billing.md). Only this class uses the fake: it is one server per JVM.
 */
@QuarkusTest
@TestProfile(FakeStripe.Profile.class)
class BillingResourceTest {

    static final String PREMIUM_MONTHLY = "price_premium_monthly";
    static final String PREMIUM_YEARLY = "price_premium_yearly";
    static final String BASIC_MONTHLY = "price_basic_monthly";
    static final String SUCCESS = "https://app.example.com/billing/done?session={CHECKOUT_SESSION_ID}";
    static final String CANCEL = "https://app.example.com/billing";
    static final String CUSTOMERS = "/v1/customers";
    static final String CHECKOUT = "/v1/checkout/sessions";
    static final String PORTAL = "/v1/billing_portal/sessions";

    String profile;

    @BeforeEach
    void arrange() throws IOException {
        FakeStripe.start();
        Database.update("UPDATE tiers SET stripe_price_id_monthly = ?, stripe_price_id_yearly = ? WHERE id = 'premium'",
                PREMIUM_MONTHLY, PREMIUM_YEARLY);
        Database.update("UPDATE tiers SET stripe_price_id_monthly = ?, stripe_price_id_yearly = NULL WHERE id = 'basic'",
                BASIC_MONTHLY);
        profile = Profiles.register();
    }

    @AfterAll
    static void listenAgain() throws IOException {
        FakeStripe.start(); // a test that stopped it and failed must not leave it down
        Settings.restoreSeed(); // Profiles.register() changed them
    }

    @Test
    void aCheckoutCreatesTheCustomerOnceAndEveryLaterOneReusesIt() {
        String url = checkout(TestTokens.user(profile), profile, "premium", "month").then().statusCode(201)
                .extract().path("url");

        List<Request> requests = FakeStripe.requests();
        assertEquals(List.of("POST " + CUSTOMERS, "POST " + CHECKOUT), FakeStripe.paths());
        Request customer = requests.get(0);
        assertEquals("Bearer " + FakeStripe.API_KEY, customer.header("Authorization"));
        assertEquals(Map.of("email", profile + "@example.com", "metadata[profileId]", profile), customer.form());
        assertEquals(StripeApi.customerKey(profile, profile + "@example.com"), customer.header("Idempotency-Key"));
        String customerId = customer.answered("id");

        Request session = requests.get(1);
        assertEquals("Bearer " + FakeStripe.API_KEY, session.header("Authorization"));
        assertEquals(sessionForm(customerId, PREMIUM_MONTHLY), session.form());
        assertEquals(session.answered("url"), url);
        assertEquals(List.of(Map.of("customer_id", customerId)),
                Database.query("SELECT customer_id FROM billing_customers WHERE profile_id = ?", profile));

        // the next checkout (by the service, yearly) uses the customer the profile has
        checkout(TestTokens.service(), profile, "premium", "year").then().statusCode(201);
        List<Request> later = FakeStripe.requests().subList(2, FakeStripe.requests().size());
        assertEquals(1, later.size(), later.toString());
        assertEquals(CHECKOUT, later.get(0).path());
        assertEquals(sessionForm(customerId, PREMIUM_YEARLY), later.get(0).form());

        as(TestTokens.user(profile)).get(billing(profile)).then().statusCode(200)
                .body("customerId", equalTo(customerId)).body("subscriptions.size()", equalTo(0));
    }

    @Test
    void twoFirstCheckoutsRacingEndWithOneCustomer() throws Exception {
        FakeStripe.holdCustomerCreations(2); // both reach Stripe before either links its customer
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Response>> racing = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                racing.add(pool.submit(() -> checkout(TestTokens.service(), profile, "premium", "month")));
            }
            for (Future<Response> checkout : racing) {
                checkout.get().then().statusCode(201);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Request> customers = FakeStripe.requests(CUSTOMERS);
        assertEquals(2, customers.size());
        // the same idempotency key: real Stripe answers both with one customer
        assertEquals(customers.get(0).header("Idempotency-Key"), customers.get(1).header("Idempotency-Key"));
        List<Map<String, Object>> links = Database.query("SELECT customer_id FROM billing_customers WHERE profile_id = ?",
                profile);
        assertEquals(1, links.size());
        Object linked = links.get(0).get("customer_id");
        assertEquals(List.of(linked, linked), FakeStripe.requests(CHECKOUT).stream().map(r -> r.form().get("customer"))
                .toList());
    }

    @Test
    void aTierWithoutAPriceForTheIntervalIsNotForSale() {
        // a price the tier no longer names is retired: its subscribers keep the tier, nobody new buys it
        Database.update("UPDATE tiers SET stripe_price_id_yearly = 'price_basic_yearly_old' WHERE id = 'basic'");
        Database.update("UPDATE tiers SET stripe_price_id_yearly = NULL WHERE id = 'basic'");
        checkout(TestTokens.service(), profile, "basic", "year").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("tier_not_for_sale"));
        // an inactive tier is not sold, even with a price
        Database.update("UPDATE tiers SET stripe_price_id_monthly = 'price_selfhosted_monthly' WHERE id = 'selfhosted'");
        try {
            checkout(TestTokens.service(), profile, "selfhosted", "month").then().statusCode(409)
                    .body("code", equalTo("tier_not_for_sale"));
        } finally {
            Database.update("UPDATE tiers SET stripe_price_id_monthly = NULL WHERE id = 'selfhosted'");
        }
        checkout(TestTokens.service(), profile, "no_such_tier", "month").then().statusCode(404)
                .body("code", equalTo("tier_not_found"));
        assertEquals(List.of(), FakeStripe.requests());
        assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE profile_id = ?", profile));
    }

    @Test
    void badBodiesAre400AndReachNoStripe() {
        Map<String, Object> valid = Map.of("tierId", "premium", "interval", "month", "successUrl", SUCCESS,
                "cancelUrl", CANCEL);
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("tierId", new Object[] { "tierId", null });
        cases.put("tierId format", new Object[] { "tierId", "Premium!" });
        cases.put("interval", new Object[] { "interval", "week" });
        cases.put("no interval", new Object[] { "interval", null });
        cases.put("successUrl", new Object[] { "successUrl", null });
        cases.put("relative successUrl", new Object[] { "successUrl", "/billing/done" });
        cases.put("ftp successUrl", new Object[] { "successUrl", "ftp://app.example.com/done" });
        cases.put("cancelUrl", new Object[] { "cancelUrl", "https:/app.example.com" });
        cases.put("long cancelUrl", new Object[] { "cancelUrl", "https://app.example.com/" + "x".repeat(2000) });
        for (var c : cases.entrySet()) {
            Map<String, Object> body = new LinkedHashMap<>(valid);
            String field = (String) c.getValue()[0];
            if (c.getValue()[1] == null) {
                body.remove(field);
            } else {
                body.put(field, c.getValue()[1]);
            }
            as(TestTokens.service()).body(body).post(billing(profile) + "/checkout-sessions").then()
                    .statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"))
                    .body("errors[0].field", equalTo(field));
        }
        as(TestTokens.service()).body(Map.of()).post(billing(profile) + "/portal-sessions").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("returnUrl"));
        as(TestTokens.service()).body(Map.of("returnUrl", "app.example.com")).post(billing(profile) + "/portal-sessions")
                .then().statusCode(400).body("errors[0].field", equalTo("returnUrl"));
        as(TestTokens.service()).body("{\"tierId\": ").post(billing(profile) + "/checkout-sessions").then()
                .statusCode(400).body("code", equalTo("validation_failed"));
        assertEquals(List.of(), FakeStripe.requests());
    }

    @Test
    void thePortalOpensForTheProfilesCustomer() {
        portal(TestTokens.user(profile), profile).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("no_billing_customer"));
        assertEquals(List.of(), FakeStripe.requests());

        checkout(TestTokens.user(profile), profile, "premium", "month").then().statusCode(201);
        String customerId = FakeStripe.requests(CHECKOUT).get(0).form().get("customer");
        String url = portal(TestTokens.user(profile), profile).then().statusCode(201).extract().path("url");

        List<Request> portals = FakeStripe.requests(PORTAL);
        assertEquals(1, portals.size());
        assertEquals("POST", portals.get(0).method());
        assertEquals("Bearer " + FakeStripe.API_KEY, portals.get(0).header("Authorization"));
        assertEquals(Map.of("customer", customerId, "return_url", CANCEL), portals.get(0).form());
        assertEquals(portals.get(0).answered("url"), url);
    }

    @Test
    void billingShowsTheCustomerAndItsSubscriptionsAsTheWebhookToldThem() {
        as(TestTokens.user(profile)).get(billing(profile)).then().statusCode(200)
                .body("customerId", nullValue()).body("subscriptions.size()", equalTo(0));

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant end = now.plus(Duration.ofDays(30));
        String customer = "cus_" + UUID.randomUUID().toString().substring(0, 8);
        String first = "sub_a" + UUID.randomUUID().toString().substring(0, 8);
        String second = "sub_b" + UUID.randomUUID().toString().substring(0, 8);
        Stripe.send(Stripe.event("checkout.session.completed", now, Stripe.checkout(profile, customer, first)), now)
                .statusCode(200);
        Stripe.send(Stripe.event("customer.subscription.created", now,
                Stripe.subscription(first, customer, "active", PREMIUM_MONTHLY, "month", now, end, true)), now)
                .statusCode(200);
        Stripe.send(Stripe.event("customer.subscription.created", now,
                Stripe.subscription(second, customer, "incomplete", "price_unknown", "week", now, end, false)), now)
                .statusCode(200);
        // newest first: make the first one clearly older
        Database.update("UPDATE billing_subscriptions SET created = created - interval '1 minute' WHERE id = ?", first);

        as(TestTokens.user(profile)).get(billing(profile)).then().statusCode(200)
                .body("customerId", equalTo(customer))
                .body("subscriptions.size()", equalTo(2))
                .body("subscriptions[0].id", equalTo(second))
                .body("subscriptions[0].status", equalTo("incomplete"))
                .body("subscriptions[0].tierId", nullValue())
                .body("subscriptions[0].priceId", equalTo("price_unknown"))
                .body("subscriptions[0].interval", equalTo("week"))
                .body("subscriptions[0].cancelAtPeriodEnd", equalTo(false))
                .body("subscriptions[1].id", equalTo(first))
                .body("subscriptions[1].status", equalTo("active"))
                .body("subscriptions[1].tierId", equalTo("premium"))
                .body("subscriptions[1].priceId", equalTo(PREMIUM_MONTHLY))
                .body("subscriptions[1].interval", equalTo("month"))
                .body("subscriptions[1].currentPeriodEnd", equalTo(end.toString()))
                .body("subscriptions[1].cancelAtPeriodEnd", equalTo(true));
        assertEquals(List.of(), FakeStripe.requests());
    }

    @Test
    void stripeFailingIs503AndTheCustomerCreatedBeforeIsKept() {
        FakeStripe.fail(CHECKOUT, 500);
        checkout(TestTokens.service(), profile, "premium", "month").then().statusCode(503)
                .contentType("application/problem+json").body("code", equalTo("billing_unavailable"));
        // one retry, with the same idempotency key
        List<Request> attempts = FakeStripe.requests(CHECKOUT);
        assertEquals(2, attempts.size());
        assertNotNull(attempts.get(0).header("Idempotency-Key"));
        assertEquals(attempts.get(0).header("Idempotency-Key"), attempts.get(1).header("Idempotency-Key"));
        String customerId = attempts.get(0).form().get("customer");
        assertEquals(List.of(Map.of("customer_id", customerId)),
                Database.query("SELECT customer_id FROM billing_customers WHERE profile_id = ?", profile));

        // a request Stripe refuses (a price it does not know): not retried, and the caller cannot fix it either
        FakeStripe.fail(CHECKOUT, 400);
        checkout(TestTokens.service(), profile, "premium", "month").then().statusCode(503)
                .body("code", equalTo("billing_unavailable"));
        assertEquals(3, FakeStripe.requests(CHECKOUT).size());
        assertEquals(1, FakeStripe.requests(CUSTOMERS).size());
        assertEquals(customerId, FakeStripe.requests(CHECKOUT).get(2).form().get("customer"));

        FakeStripe.fail(PORTAL, 502);
        portal(TestTokens.service(), profile).then().statusCode(503).body("code", equalTo("billing_unavailable"));
    }

    @Test
    void stripeUnreachableIs503() throws IOException {
        FakeStripe.stop();
        try {
            checkout(TestTokens.service(), profile, "premium", "month").then().statusCode(503)
                    .contentType("application/problem+json").body("code", equalTo("billing_unavailable"));
            assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE profile_id = ?", profile));
        } finally {
            FakeStripe.start();
        }
        checkout(TestTokens.service(), profile, "premium", "month").then().statusCode(201);
        FakeStripe.stop();
        try {
            portal(TestTokens.service(), profile).then().statusCode(503).body("code", equalTo("billing_unavailable"));
        } finally {
            FakeStripe.start();
        }
    }

    @Test
    void aUserActsOnItsOwnProfileOnly() {
        String other = Profiles.register();
        String token = TestTokens.user(profile);
        as(token).get(billing(other)).then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("forbidden"));
        checkout(token, other, "premium", "month").then().statusCode(403).body("code", equalTo("forbidden"));
        portal(token, other).then().statusCode(403).body("code", equalTo("forbidden"));
        assertEquals(List.of(), FakeStripe.requests());
        assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE profile_id = ?", other));
    }

    @Test
    void anUnknownProfileIs404() {
        String nobody = "p-" + UUID.randomUUID();
        asAdmin().get(billing(nobody)).then().statusCode(404).body("code", equalTo("profile_not_found"));
        checkout(TestTokens.admin(), nobody, "premium", "month").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));
        portal(TestTokens.admin(), nobody).then().statusCode(404).body("code", equalTo("profile_not_found"));
        assertEquals(List.of(), FakeStripe.requests());
    }

    static String billing(String profileId) {
        return "/api/v1/profiles/" + profileId + "/billing";
    }

    static Response checkout(String token, String profileId, String tierId, String interval) {
        return as(token).body(Map.of("tierId", tierId, "interval", interval, "successUrl", SUCCESS, "cancelUrl", CANCEL))
                .post(billing(profileId) + "/checkout-sessions");
    }

    static Response portal(String token, String profileId) {
        return as(token).body(Map.of("returnUrl", CANCEL)).post(billing(profileId) + "/portal-sessions");
    }

    private Map<String, String> sessionForm(String customerId, String price) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("mode", "subscription");
        form.put("customer", customerId);
        form.put("client_reference_id", profile);
        form.put("line_items[0][price]", price);
        form.put("line_items[0][quantity]", "1");
        form.put("success_url", SUCCESS);
        form.put("cancel_url", CANCEL);
        form.put("subscription_data[metadata][profileId]", profile);
        return form;
    }
}
