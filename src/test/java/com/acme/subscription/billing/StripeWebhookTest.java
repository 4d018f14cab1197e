package com.acme.subscription.billing;

import static com.acme.subscription.support.ApiTest.anonymous;
import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.MutableClock;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;
import com.acme.subscription.support.Waiting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Stripe's webhook drives a profile's subscription grant (docs/billing.md). */
@QuarkusTest
class StripeWebhookTest {

    static final String PREMIUM_MONTHLY = "price_premium_monthly";
    static final String BASIC_MONTHLY = "price_basic_monthly";
    static final Instant T0 = Instant.parse("2026-10-01T10:00:00Z");
    static final Duration MONTH = Duration.ofDays(30);
    static final Duration GRACE = Duration.ofDays(3);

    @Inject
    MutableClock clock;

    String profile;
    String customer;
    String sub;

    @BeforeEach
    void prices() {
        Database.update("UPDATE tiers SET stripe_price_id_monthly = ? WHERE id = 'premium'", PREMIUM_MONTHLY);
        Database.update("UPDATE tiers SET stripe_price_id_monthly = ? WHERE id = 'basic'", BASIC_MONTHLY);
        clock.set(T0);
        profile = Profiles.onTier("free");
        customer = "cus_" + UUID.randomUUID().toString().substring(0, 8);
        sub = "sub_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void reset() {
        clock.reset();
        Settings.restoreSeed(); // Profiles.onTier() changed them
        // the seed's tiers have no prices: other tests compare them
        Database.update("UPDATE tiers SET stripe_price_id_monthly = NULL, stripe_price_id_yearly = NULL "
                + "WHERE id IN ('premium', 'basic')");
    }

    /** A checkout whose profile is erased while it is told links nothing, and is answered, not failed. */
    @Test
    void aCheckoutRacingItsProfilesErasureLinksNothing() throws Exception {
        CompletableFuture<io.restassured.response.ValidatableResponse> told;
        try (Connection erasure = Database.connect()) {
            erasure.setAutoCommit(false);
            Database.execute(erasure, "DELETE FROM profiles WHERE id = ?", profile);
            told = CompletableFuture.supplyAsync(() -> Stripe.send(
                    Stripe.event("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub)), clock.instant()));
            Waiting.untilWaitingForALock(told);
            erasure.commit();
        }
        told.get(30, TimeUnit.SECONDS).statusCode(200);
        assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE customer_id = ?", customer));
    }

    @Test
    void aSubscriptionsLifeDrivesItsGrant() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        send("invoice.paid", T0, Stripe.invoice(sub, customer, "paid", "subscription_create", T0, T0.plus(MONTH)));
        assertTier("premium", T0.plus(MONTH).plus(GRACE));

        // the next period: Stripe moves the period first, the payment then extends the grant
        clock.set(T0.plus(MONTH));
        send("customer.subscription.updated", clock.instant(), active(T0.plus(MONTH), T0.plus(MONTH.multipliedBy(2)), false));
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
        send("invoice.paid", clock.instant(), Stripe.invoice(sub, customer, "paid", "subscription_cycle", T0.plus(MONTH),
                T0.plus(MONTH.multipliedBy(2))));
        assertTier("premium", T0.plus(MONTH.multipliedBy(2)).plus(GRACE));

        // past due: the grant keeps what was paid (and its grace), no more
        clock.set(T0.plus(MONTH.multipliedBy(2)));
        Instant third = T0.plus(MONTH.multipliedBy(3));
        send("invoice.payment_failed", clock.instant(), Stripe.invoice(sub, customer, "open", "subscription_cycle",
                T0.plus(MONTH.multipliedBy(2)), third));
        send("customer.subscription.updated", clock.instant(), subscription("past_due", T0.plus(MONTH.multipliedBy(2)), third,
                false));
        assertTier("premium", T0.plus(MONTH.multipliedBy(2)).plus(GRACE));

        // recovered
        clock.set(T0.plus(MONTH.multipliedBy(2)).plus(Duration.ofDays(1)));
        send("invoice.paid", clock.instant(), Stripe.invoice(sub, customer, "paid", "subscription_cycle",
                T0.plus(MONTH.multipliedBy(2)), third));
        send("customer.subscription.updated", clock.instant(), active(T0.plus(MONTH.multipliedBy(2)), third, false));
        assertTier("premium", third.plus(GRACE));

        // canceled at the period's end: it ends then, without grace
        send("customer.subscription.updated", clock.instant().plusSeconds(1),
                active(T0.plus(MONTH.multipliedBy(2)), third, true));
        assertTier("premium", third);

        // ended
        clock.set(third.plusSeconds(1));
        send("customer.subscription.deleted", clock.instant(), subscription("canceled", T0.plus(MONTH.multipliedBy(2)),
                third, true));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then().statusCode(200)
                .body("tier.id", equalTo("free")).body("tier.source", equalTo("base"));

        List<String> types = JsonPath.from(asAdmin().get("/api/v1/events?profileId=" + profile + "&limit=100").then()
                .statusCode(200).extract().asString()).getList("items.type");
        assertEquals(List.of("subscription.activated", "subscription.renewed", "subscription.past_due",
                "subscription.renewed", "subscription.canceled"),
                oldestFirst(types).stream().filter(type -> type.startsWith("subscription.")).toList(), types.toString());
    }

    /** Taking back a cancellation gives the grant its grace again, but nothing was paid: no subscription.renewed. */
    @Test
    void takingBackACancellationIsNoRenewal() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        send("invoice.paid", T0, Stripe.invoice(sub, customer, "paid", "subscription_create", T0, T0.plus(MONTH)));
        send("customer.subscription.updated", T0.plusSeconds(60), active(T0, T0.plus(MONTH), true));
        assertTier("premium", T0.plus(MONTH));
        send("customer.subscription.updated", T0.plusSeconds(120), active(T0, T0.plus(MONTH), false));
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
        List<String> types = JsonPath.from(asAdmin().get("/api/v1/events?profileId=" + profile + "&limit=100").then()
                .statusCode(200).extract().asString()).getList("items.type");
        // newest first: the cancellation was announced, its taking back is no payment
        assertEquals(List.of("subscription.canceled", "subscription.activated"),
                types.stream().filter(type -> type.startsWith("subscription.")).toList(), types.toString());
    }

    @Test
    void aRedeliveryChangesNothing() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        String created = Stripe.event("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        Stripe.send(created, clock.instant()).statusCode(200).body("applied", equalTo(true));
        Stripe.send(created, clock.instant()).statusCode(200).body("applied", equalTo(false));
        assertEquals(1, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ?", sub));
    }

    @Test
    void anOlderStateArrivingLateIsIgnored() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        // the cancellation (newer) arrives before the creation (older)
        send("customer.subscription.updated", T0.plusSeconds(60), active(T0, T0.plus(MONTH), true));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        assertTier("premium", T0.plus(MONTH));
    }

    @Test
    void subscriptionEventsBeforeTheCheckoutAreAppliedWhenItComes() {
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then().body("tier.id", equalTo("free"));
        send("checkout.session.completed", T0.plusSeconds(1), Stripe.checkout(profile, customer, sub));
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
        // a second checkout of the same customer (a new event) starts nothing new
        send("checkout.session.completed", T0.plusSeconds(2), Stripe.checkout(profile, customer, sub));
        assertEquals(1, Database.count("SELECT count(*) FROM events WHERE profile_id = ? AND type = ?", profile,
                "subscription.activated"));
    }

    @Test
    void aPriceChangeIsTheNewTierAtOnce() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        clock.set(T0.plus(Duration.ofDays(10)));
        send("customer.subscription.updated", clock.instant(), Stripe.subscription(sub, customer, "active", BASIC_MONTHLY,
                "month", T0, T0.plus(MONTH), false));
        assertTier("basic", T0.plus(MONTH).plus(GRACE));
        assertEquals(List.of("basic"), Database.query("SELECT tier_id FROM access_grants WHERE subscription_id = ? "
                + "AND revoked_at IS NULL", sub).stream().map(row -> row.get("tier_id")).toList());
        // one change of tier, announced once: premium to basic, never through the base tier
        assertEquals(List.of(Map.of("from", "free", "to", "premium", "source", "grant_created"),
                Map.of("from", "premium", "to", "basic", "source", "grant_created")),
                Database.query("SELECT data::text AS data FROM events WHERE profile_id = ? AND type = 'profile.tier_changed' "
                        + "ORDER BY sequence", profile).stream()
                        .map(row -> JsonPath.from((String) row.get("data")).getMap("")).toList());
    }

    @Test
    void anEndedSubscriptionStaysEndedWhateverComesAfterOrInTheSameSecond() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        send("customer.subscription.updated", T0.plusSeconds(120), active(T0, T0.plus(MONTH), false));
        // the deletion arrives after a newer update: it ends the subscription anyway
        send("customer.subscription.deleted", T0.plusSeconds(60), subscription("canceled", T0, T0.plus(MONTH), false));
        assertEnded();
        // an update in the deletion's second, or later, brings nothing back
        send("customer.subscription.updated", T0.plusSeconds(120), active(T0, T0.plus(MONTH), false));
        send("customer.subscription.updated", T0.plusSeconds(180), active(T0, T0.plus(MONTH), false));
        assertEnded();
    }

    @Test
    void aSubscriptionThatLeftIncompleteNeverReturnsToIt() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        // created (incomplete) and updated (active) in one second, the creation arriving last
        send("customer.subscription.updated", T0, active(T0, T0.plus(MONTH), false));
        send("customer.subscription.created", T0, subscription("incomplete", T0, T0.plus(MONTH), false));
        assertEquals("active", Database.query("SELECT status FROM billing_subscriptions WHERE id = ?", sub).get(0)
                .get("status"));
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
    }

    @Test
    void aPastDuePeriodSetToCancelGrantsNoMoreThanWasPaid() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        clock.set(T0.plus(MONTH));
        Instant second = T0.plus(MONTH.multipliedBy(2));
        send("customer.subscription.updated", clock.instant(), subscription("past_due", T0.plus(MONTH), second, false));
        send("customer.subscription.updated", clock.instant().plusSeconds(1),
                subscription("past_due", T0.plus(MONTH), second, true));
        // the unpaid second period is not granted: what was paid and its grace, as past due
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
    }

    @Test
    void aChangeToAPriceOfNoTierEndsTheOldTier() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        clock.set(T0.plus(Duration.ofDays(10)));
        send("customer.subscription.updated", clock.instant(), Stripe.subscription(sub, customer, "active",
                "price_unknown", "month", T0, T0.plus(MONTH), false));
        assertEnded();
    }

    /**
     * A tier sold at a new price keeps the subscribers of its old one: the old price is retired,
     * not forgotten, so their renewals go on extending the tier's grant. Another tier that names
     * the retired price takes it over.
     */
    @Test
    void aTierSoldAtANewPriceKeepsTheSubscribersOfTheOldOne() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        Database.update("UPDATE tiers SET stripe_price_id_monthly = 'price_premium_monthly_v2' WHERE id = 'premium'");
        send("customer.subscription.updated", T0.plusSeconds(60), active(T0, T0.plus(MONTH), false));
        assertTier("premium", T0.plus(MONTH).plus(GRACE));

        clock.set(T0.plus(MONTH));
        send("customer.subscription.updated", clock.instant(), active(T0.plus(MONTH), T0.plus(MONTH.multipliedBy(2)), false));
        send("invoice.paid", clock.instant(), Stripe.invoice(sub, customer, "paid", "subscription_cycle", T0.plus(MONTH),
                T0.plus(MONTH.multipliedBy(2))));
        assertTier("premium", T0.plus(MONTH.multipliedBy(2)).plus(GRACE));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/billing").then().statusCode(200)
                .body("subscriptions[0].tierId", equalTo("premium")).body("subscriptions[0].priceId", equalTo(PREMIUM_MONTHLY));

        // the retired price is no other tier's obstacle: basic takes it over, subscribers included
        Database.update("UPDATE tiers SET stripe_price_id_yearly = ? WHERE id = 'basic'", PREMIUM_MONTHLY);
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/billing").then().statusCode(200)
                .body("subscriptions[0].tierId", equalTo("basic"));
    }

    @Test
    void signedEventsStripeWouldNotSendAreNever500() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        String withoutCustomer = active(T0, T0.plus(MONTH), false).replace("\"customer\": \"" + customer + "\"",
                "\"customer\": null");
        Stripe.send(Stripe.event("customer.subscription.created", T0, withoutCustomer), T0).statusCode(200);
        String unpaidOfNoOne = Stripe.invoice(sub, customer, "paid", "subscription_create", T0, T0.plus(MONTH))
                .replace("\"customer\": \"" + customer + "\"", "\"customer\": null");
        Stripe.send(Stripe.event("invoice.paid", T0, unpaidOfNoOne), T0).statusCode(200);
        String farEnd = active(T0, T0.plus(MONTH), false).replace(
                "\"current_period_end\": " + T0.plus(MONTH).getEpochSecond(), "\"current_period_end\": 99999999999999999");
        Stripe.send(Stripe.event("customer.subscription.created", T0, farEnd), T0).statusCode(200);
        String farCreated = Stripe.event("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false))
                .replace("\"created\": " + T0.getEpochSecond(), "\"created\": 99999999999999999");
        Stripe.send(farCreated, T0).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation_failed"));
        assertEquals(0, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ?", sub));
    }

    @Test
    void ofSeveralItemsTheOneWhosePriceIsATiersDecides() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        String seats = """
                {"id": "si_seats", "object": "subscription_item", "quantity": 5, "current_period_start": %d,
                 "current_period_end": %d, "price": {"id": "price_addon_seats", "object": "price",
                 "recurring": {"interval": "month", "interval_count": 1}}}""".formatted(T0.getEpochSecond(),
                T0.plus(MONTH).getEpochSecond());
        String twoItems = active(T0, T0.plus(MONTH), false).replace("\"data\": [{\"id\": \"si_",
                "\"data\": [" + seats + ", {\"id\": \"si_");
        send("customer.subscription.created", T0, twoItems);
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
        assertEquals(PREMIUM_MONTHLY, Database.query("SELECT price_id FROM billing_subscriptions WHERE id = ?", sub)
                .get(0).get("price_id"));
    }

    @Test
    void erasingAProfileForgetsItsCustomerAndSubscriptions() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        assertEquals(1, Database.count("SELECT count(*) FROM billing_subscriptions WHERE id = ?", sub));

        asAdmin().delete("/api/v1/profiles/" + profile).then().statusCode(204);
        assertEquals(0, Database.count("SELECT count(*) FROM billing_subscriptions WHERE id = ?", sub));
        assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE customer_id = ?", customer));
    }

    /**
     * A second checkout under another customer (a Payment Link, say) makes that customer the
     * profile's newest, but the first one's subscriptions stay the profile's: cancelling one ends
     * its grant, the billing view lists both, and erasing the profile forgets both customers.
     */
    @Test
    void aSecondCustomerOfTheProfileLeavesTheFirstOnesSubscriptionsItsOwn() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        String second = customer + "_2";
        String secondSub = sub + "_2";
        send("checkout.session.completed", T0.plusSeconds(60), Stripe.checkout(profile, second, secondSub));
        send("customer.subscription.created", T0.plusSeconds(60), Stripe.subscription(secondSub, second, "active",
                BASIC_MONTHLY, "month", T0, T0.plus(MONTH), false));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/billing").then().statusCode(200)
                .body("customerId", equalTo(second)).body("subscriptions.id", containsInAnyOrder(sub, secondSub));

        clock.set(T0.plus(Duration.ofDays(5)));
        send("customer.subscription.deleted", clock.instant(), subscription("canceled", T0, T0.plus(MONTH), false));
        assertEquals(0, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ? "
                + "AND revoked_at IS NULL", sub));
        assertTier("basic", T0.plus(MONTH).plus(GRACE));

        // the first customer is the profile's for good: a checkout of another profile cannot take it
        String other = Profiles.onTier("free");
        send("checkout.session.completed", clock.instant(), Stripe.checkout(other, customer, sub + "_3"));
        assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE profile_id = ?", other));

        asAdmin().delete("/api/v1/profiles/" + profile).then().statusCode(204);
        assertEquals(0, Database.count("SELECT count(*) FROM billing_subscriptions WHERE id IN (?, ?)", sub, secondSub));
    }

    /** A subscription that a Stripe event writes while the erasure waits for that event goes too. */
    @Test
    void aSubscriptionWrittenWhileTheProfileIsErasedGoesWithIt() throws Exception {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        try (Connection connection = Database.connect(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            // what an event's transaction holds, in its order: the customer's profile, then the subscription
            sql.execute("SELECT 1 FROM profiles WHERE id = '" + profile + "' FOR NO KEY UPDATE");
            sql.execute("INSERT INTO billing_subscriptions (id, customer_id, status, state_at, created, updated) "
                    + "VALUES ('" + sub + "', '" + customer + "', 'active', now(), now(), now())");
            CompletableFuture<Integer> erasure = CompletableFuture
                    .supplyAsync(() -> asAdmin().delete("/api/v1/profiles/" + profile).then().extract().statusCode());
            Waiting.untilWaitingForALock(erasure);
            connection.commit();
            assertEquals(204, erasure.get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, Database.count("SELECT count(*) FROM billing_subscriptions WHERE id = ?", sub));
        assertEquals(0, Database.count("SELECT count(*) FROM billing_customers WHERE customer_id = ?", customer));
    }

    /**
     * An event takes its customer's profile before the subscription's row, in an erasure's order: while
     * an erasure holds the profile, the waiting event holds nothing of the subscription (taken the other
     * way round, the two could deadlock, and the erasure could miss what the event wrote).
     */
    @Test
    void anEventTakesTheProfileBeforeTheSubscription() throws Exception {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        try (Connection erasing = Database.connect(); Statement sql = erasing.createStatement()) {
            erasing.setAutoCommit(false);
            sql.execute("SELECT 1 FROM profiles WHERE id = '" + profile + "' FOR UPDATE"); // what an erasure holds
            Instant later = T0.plusSeconds(60);
            String body = Stripe.event("customer.subscription.updated", later, active(T0, T0.plus(MONTH), true));
            Instant now = clock.instant();
            CompletableFuture<Integer> event = CompletableFuture
                    .supplyAsync(() -> Stripe.send(body, now).extract().statusCode());
            Waiting.untilWaitingForALock(event);
            try (Connection other = Database.connect(); Statement probe = other.createStatement()) {
                other.setAutoCommit(false);
                probe.execute("SELECT 1 FROM billing_subscriptions WHERE id = '" + sub + "' FOR UPDATE NOWAIT");
                other.rollback();
            }
            erasing.rollback();
            assertEquals(200, event.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPriceOfNoTierGrantsNothing() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, Stripe.subscription(sub, customer, "active", "price_unknown", "month",
                T0, T0.plus(MONTH), false));
        assertEquals(0, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ?", sub));
    }

    @Test
    void badSignaturesAre400AndChangeNothing() throws Exception {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        String body = Stripe.event("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        for (String signature : List.of(Stripe.signature(body, T0, "whsec_another"),
                Stripe.signature(body, T0.minusSeconds(301), Stripe.SECRET),
                Stripe.signature(body, T0.plusSeconds(301), Stripe.SECRET), "t=1,v1=00", "garbage")) {
            anonymous().header("Stripe-Signature", signature).body(body).post("/api/v1/billing/stripe/webhook").then()
                    .statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid_signature"));
        }
        anonymous().body(body).post("/api/v1/billing/stripe/webhook").then().statusCode(400)
                .body("code", equalTo("invalid_signature"));
        assertEquals(0, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ?", sub));
        assertEquals(0, Database.count("SELECT count(*) FROM billing_subscriptions WHERE id = ?", sub));
    }

    @Test
    void unhandledTypesAreAcknowledged() {
        Stripe.send(Stripe.event("customer.created", T0, "{\"id\": \"cus_x\", \"object\": \"customer\"}"), T0)
                .statusCode(200).body("applied", equalTo(false));
    }

    @Test
    void theSameEventAtTwoReplicasAtOnceIsAppliedOnce() throws Exception {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        String created = Stripe.event("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        int parallel = 6;
        CyclicBarrier start = new CyclicBarrier(parallel);
        ExecutorService executor = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                Callable<Boolean> call = () -> {
                    start.await();
                    return Stripe.send(created, T0).statusCode(200).extract().path("applied");
                };
                answers.add(executor.submit(call));
            }
            int applied = 0;
            for (Future<Boolean> answer : answers) {
                applied += answer.get() ? 1 : 0;
            }
            assertEquals(1, applied);
        } finally {
            executor.shutdownNow();
        }
        assertEquals(1, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ?", sub));
    }

    @Test
    void aWellpassRedemptionDoesNotPauseASubscriptionGrant() {
        send("checkout.session.completed", T0, Stripe.checkout(profile, customer, sub));
        send("customer.subscription.created", T0, active(T0, T0.plus(MONTH), false));
        as(TestTokens.user(profile)).body(Map.of("code", Coupons.create("wellpass", "basic", 10, null)))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201);
        assertEquals(List.of(true), Database.query("SELECT is_active FROM access_grants WHERE subscription_id = ?", sub)
                .stream().map(row -> row.get("is_active")).toList());
        assertTier("premium", T0.plus(MONTH).plus(GRACE));
    }

    @Test
    void aPriceIdBelongsToOneTier() {
        Map<String, Object> tier = JsonPath.from(asAdmin().get("/api/v1/tiers/basic").then().statusCode(200).extract()
                .asString()).getMap("");
        Map<String, Object> taken = new java.util.HashMap<>(tier);
        taken.remove("id");
        taken.remove("created");
        taken.remove("updated");
        taken.put("stripePriceIdYearly", PREMIUM_MONTHLY);
        asAdmin().contentType(ContentType.JSON).body(taken).put("/api/v1/tiers/basic").then().statusCode(409)
                .body("code", equalTo("price_id_taken"));
    }

    private static List<String> oldestFirst(List<String> newestFirst) {
        List<String> types = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(types);
        return types;
    }

    private String active(Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd) {
        return subscription("active", periodStart, periodEnd, cancelAtPeriodEnd);
    }

    private String subscription(String status, Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd) {
        return Stripe.subscription(sub, customer, status, PREMIUM_MONTHLY, "month", periodStart, periodEnd,
                cancelAtPeriodEnd);
    }

    private void send(String type, Instant created, String object) {
        Stripe.send(Stripe.event(type, created, object), clock.instant()).statusCode(200);
    }

    /** The subscription's grant is revoked: the profile is back on its base tier. */
    private void assertEnded() {
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then().statusCode(200)
                .body("tier.id", equalTo("free")).body("tier.source", equalTo("base"));
        assertEquals(0, Database.count("SELECT count(*) FROM access_grants WHERE subscription_id = ? "
                + "AND revoked_at IS NULL", sub));
    }

    private void assertTier(String tier, Instant validUntil) {
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements").then().statusCode(200)
                .body("tier.id", equalTo(tier)).body("tier.source", equalTo("grant"))
                .body("tier.validUntil", equalTo(validUntil.toString()));
        // every change of the subscription's grant wrote the profile's stored state: checks read it by key
        assertEquals(1, Database.count("SELECT count(*) FROM profiles WHERE id = ? AND NOT state_stale "
                + "AND state_tier = ? AND state_valid_until = ?::timestamptz", profile, tier, validUntil.toString()));
    }
}
