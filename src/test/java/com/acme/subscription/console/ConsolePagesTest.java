package com.acme.subscription.console;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TcpProxy;
import com.acme.subscription.webhook.WebhookDispatcher;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The coupons and webhooks pages as a browser without JavaScript uses them: signed in with the dev
 * key, forms posted with their CSRF token, and the effect checked through the API.
 */
@QuarkusTest
class ConsolePagesTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Inject
    WebhookDispatcher dispatcher;

    /** A signed-in browser: the session cookie, and the CSRF cookie and form field of the last page read. */
    private static final class Browser {
        private final String session;
        private String csrfCookie;
        private String csrfField;

        private Browser(String session, String csrfCookie, String csrfField) {
            this.session = session;
            this.csrfCookie = csrfCookie;
            this.csrfField = csrfField;
        }

        /** The dev sign-in, as ConsoleDevSignInTest walks it. */
        static Browser signIn() {
            Response signInPage = given().get("/console/dev-sign-in");
            signInPage.then().statusCode(200);
            String cookie = signInPage.getCookie("csrf-token");
            String field = field(signInPage.asString());
            Response signedIn = given().redirects().follow(false).cookie("csrf-token", cookie)
                    .formParam("csrf-token", field).post("/console/dev-sign-in");
            signedIn.then().statusCode(303);
            String session = signedIn.getCookie(DevSignIn.COOKIE);
            assertNotNull(session);
            return new Browser(session, cookie, field);
        }

        Response get(String path) {
            Response page = given().redirects().follow(false).cookie(DevSignIn.COOKIE, session)
                    .cookie("csrf-token", csrfCookie).get(path);
            if (page.getCookie("csrf-token") != null) {
                csrfCookie = page.getCookie("csrf-token");
            }
            String field = field(page.asString());
            if (field != null) {
                csrfField = field;
            }
            return page;
        }

        Response post(String path, Map<String, String> form) {
            return given().redirects().follow(false).cookie(DevSignIn.COOKIE, session).cookie("csrf-token", csrfCookie)
                    .formParams(form).formParam("csrf-token", csrfField).post(path);
        }
    }

    private static String field(String html) {
        Matcher matcher = CSRF_FIELD.matcher(html);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static Map<String, String> couponForm(String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("code", code);
        form.put("type", "period");
        form.put("tierId", "basic");
        form.put("durationDays", "30");
        form.put("maxRedemptions", "5");
        form.put("validUntil", "2099-12-31");
        form.put("description", "made in the console");
        return form;
    }

    private static String query(String location, String name) {
        Matcher matcher = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(location);
        return matcher.find() ? matcher.group(1) : null;
    }

    @Test
    void aCouponIsCreatedListedAndDeactivatedThroughTheConsole() {
        Browser browser = Browser.signIn();
        String code = "CONSOLE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        String row = "id=\"coupon-" + code.toLowerCase(Locale.ROOT) + "\"";
        browser.get("/console/coupons").then().statusCode(200)
                .body(containsString("id=\"coupon-form\""), containsString("id=\"coupon-tier\""), not(containsString(row)));

        Response created = browser.post("/console/coupons", couponForm(code));
        created.then().statusCode(303);
        String location = created.getHeader("Location");
        assertEquals("coupon_created", query(location, "done"));
        String id = query(location, "selected");
        assertNotNull(id);

        browser.get(location).then().statusCode(200)
                .body(containsString("The coupon was created."), containsString(row + " data-active=\"true\""),
                        containsString("aria-label=\"Deactivate " + code + "\""),
                        containsString("Redemptions of " + code), containsString("Nobody has redeemed it yet."));
        asAdmin().get("/api/v1/coupons/" + id).then().statusCode(200)
                .body("code", equalTo(code)).body("type", equalTo("period")).body("tierId", equalTo("basic"))
                .body("durationDays", equalTo(30)).body("maxRedemptions", equalTo(5))
                .body("validUntil", equalTo("2100-01-01T00:00:00Z")).body("description", equalTo("made in the console"))
                .body("active", equalTo(true)).body("createdBy", equalTo(DevSignIn.SUBJECT));

        Response deactivated = browser.post("/console/coupons/" + id + "/deactivate", Map.of());
        deactivated.then().statusCode(303);
        assertEquals("coupon_deactivated", query(deactivated.getHeader("Location"), "done"));
        asAdmin().get("/api/v1/coupons/" + id).then().statusCode(200)
                .body("active", equalTo(false)).body("createdBy", equalTo(DevSignIn.SUBJECT));

        browser.get("/console/coupons?active=false&type=period").then().statusCode(200)
                .body(containsString(row + " data-active=\"false\""), not(containsString("aria-label=\"Deactivate " + code + "\"")));
        browser.get("/console/coupons?active=true").then().statusCode(200).body(not(containsString(row)));
        browser.get("/console/coupons?type=wellpass").then().statusCode(200).body(not(containsString(row)));
    }

    @Test
    void aRefusedCouponIsSaidOnThePageAndNothingIsCreated() {
        Browser browser = Browser.signIn();
        String taken = Coupons.create("period", "basic", 10, null);
        browser.get("/console/coupons").then().statusCode(200);

        // codes are unique regardless of case
        String lower = taken.toLowerCase(Locale.ROOT);
        browser.post("/console/coupons", couponForm(lower)).then().statusCode(400)
                .body(containsString("Another coupon already has this code."), containsString("value=\"" + lower + "\""));
        List<String> codes = asAdmin().get("/api/v1/coupons?type=period&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items.code", String.class);
        assertEquals(1, codes.stream().filter(c -> c.equalsIgnoreCase(taken)).count());

        // the API's own validation: a period coupon needs its duration
        String code = "CONSOLE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        Map<String, String> noDays = couponForm(code);
        noDays.put("durationDays", "");
        browser.post("/console/coupons", noDays).then().statusCode(400)
                .body(containsString("Some values are not valid."), containsString("Duration days is required"));
        // a last day whose end the API could not keep (year 10000), or no date at all of the years it keeps
        for (String until : List.of("9999-12-31", "+999999999-12-31")) {
            Map<String, String> late = couponForm(code);
            late.put("validUntil", until);
            browser.post("/console/coupons", late).then().statusCode(400).body(containsString("Valid until must be a date"));
        }
        asAdmin().get("/api/v1/coupons?limit=500").then().statusCode(200).body("items.code", not(org.hamcrest.Matchers.hasItem(code)));
    }

    /**
     * The profile page's grant and redeem forms send a key, so that a reload cannot post twice; the
     * API answers a refusal under a key as a 4xx answer, which the page says as a refusal, also when
     * the same form is posted again and the stored refusal is replayed.
     */
    @Test
    void aRefusedRedemptionOrGrantIsSaidOnTheProfilePage() {
        Browser browser = Browser.signIn();
        String profile = Profiles.onTier("free");
        browser.get("/console/profiles?id=" + profile).then().statusCode(200);
        Map<String, String> redeem = Map.of("code", "NO-SUCH-COUPON", "key", "console-redeem-" + UUID.randomUUID());
        for (int attempt = 0; attempt < 2; attempt++) {
            browser.post("/console/profiles/" + profile + "/redemptions", redeem).then().statusCode(400)
                    .body(containsString("There is no such coupon."), not(containsString("The coupon was redeemed")));
        }
        Map<String, String> grant = Map.of("tierId", "no_such_tier", "days", "3", "reason", "",
                "key", "console-grant-" + UUID.randomUUID());
        browser.post("/console/profiles/" + profile + "/grants", grant).then().statusCode(400)
                .body(containsString("There is no such tier."));
        // the replayed refusal was not a second attempt
        assertEquals(1L, Database.count("SELECT count(*) FROM redemption_failures WHERE profile_id = ?", profile));
    }

    /** A paused grant ending in year 9999 is drawn to end there after it resumes, not in year 10000. */
    @Test
    void theTimelineOfAGrantEndingInYear9999EndsThere() {
        Browser browser = Browser.signIn();
        String profile = Profiles.onTier("free");
        asAdmin().body(Map.of("tierId", "premium", "validUntil", "9999-12-31T23:59:59Z"))
                .post("/api/v1/profiles/" + profile + "/grants").then().statusCode(201);
        com.acme.subscription.support.ApiTest.as(com.acme.subscription.support.TestTokens.user(profile))
                .body(Map.of("code", Coupons.create("wellpass", "basic", 10, null)))
                .post("/api/v1/profiles/" + profile + "/redemptions").then().statusCode(201);
        browser.get("/console/profiles?id=" + profile).then().statusCode(200)
                .body(containsString("so it runs until about 9999-12-31"))
                .body(not(containsString("10000-")));
    }

    /**
     * A post that leaves out a field its form always sends (a handcrafted post, not the page's) is
     * refused on the page, naming the field, and changes nothing: no 500, and a left-out limit is not
     * read as the blank field that means unlimited.
     */
    @Test
    void aPostWithAFieldLeftOutIsRefusedOnThePageAndChangesNothing() {
        Browser browser = Browser.signIn();
        String profile = Profiles.onTier("free");
        browser.get("/console/profiles?id=" + profile).then().statusCode(200);
        String path = "/console/profiles/" + profile;
        browser.post(path + "/grants", Map.of("tierId", "premium", "key", "console-grant-" + UUID.randomUUID()))
                .then().statusCode(400).body(containsString("Days is required."));
        // without its key a resent form would create a second grant; without its reason, or a coupon
        // form without its last day or its maximum, a blank field would be taken for one left out
        browser.post(path + "/grants", Map.of("tierId", "premium", "days", "3", "reason", ""))
                .then().statusCode(400).body(containsString("Key is required."));
        browser.post(path + "/grants", Map.of("tierId", "premium", "days", "3", "key", "console-grant-" + UUID.randomUUID()))
                .then().statusCode(400).body(containsString("Reason is required."));
        browser.post(path + "/redemptions", Map.of("code", Coupons.create("period", "basic", 10, null)))
                .then().statusCode(400).body(containsString("Key is required."));
        browser.post(path + "/overrides", Map.of("limit", "3", "reason", "r"))
                .then().statusCode(400).body(containsString("Feature id is required."));
        browser.post(path + "/overrides", Map.of("featureId", "photos", "reason", "r"))
                .then().statusCode(400).body(containsString("Limit is required."));
        browser.post(path + "/usage/photos", Map.of()).then().statusCode(400).body(containsString("Used is required."));
        assertEquals(0L, Database.count("SELECT count(*) FROM access_grants WHERE profile_id = ?", profile));
        assertEquals(0L, Database.count("SELECT count(*) FROM user_feature_restrictions WHERE profile_id = ?", profile));

        browser.get("/console/coupons").then().statusCode(200);
        String code = "CONSOLE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        for (String field : List.of("code", "type", "tierId", "durationDays", "maxRedemptions", "validUntil", "description")) {
            Map<String, String> coupon = couponForm(code);
            coupon.remove(field);
            browser.post("/console/coupons", coupon).then().statusCode(400)
                    .body(containsString(ConsoleMessages.label(field) + " is required."));
        }
        assertEquals(0L, Database.count("SELECT count(*) FROM coupons WHERE code = ?", code));

        browser.get("/console/catalog").then().statusCode(200);
        String freePhotos = "SELECT count(*) FROM tier_limits WHERE tier_id = 'free' AND feature_id = 'photos'";
        assertEquals(1L, Database.count(freePhotos));
        browser.post("/console/catalog/limits/free/photos", Map.of()).then().statusCode(400)
                .body(containsString("Limit is required."));
        assertEquals(1L, Database.count(freePhotos), "a left-out limit removed the tier's limit");
        // "" switches usage alerts off: a left-out value is not read as it
        browser.post("/console/catalog/settings/usage_alert_thresholds", Map.of()).then().statusCode(400)
                .body(containsString("Value is required."));
        asAdmin().get("/api/v1/settings").then().body("usage_alert_thresholds", equalTo("80,100"));
    }

    /**
     * A CSRF token is one of the session it was issued in: a cookie and field anybody can get (the
     * sign-in page's, of no session), planted in a signed-in admin's browser, carry no form.
     */
    @Test
    void aCsrfTokenOfNoSessionCarriesNoForm() {
        Browser browser = Browser.signIn();
        String profile = Profiles.onTier("free");
        Response anybodys = given().get("/console/dev-sign-in");
        given().redirects().follow(false).cookie(DevSignIn.COOKIE, browser.session)
                .cookie("csrf-token", anybodys.getCookie("csrf-token")).formParam("csrf-token", field(anybodys.asString()))
                .formParam("used", "3").post("/console/profiles/" + profile + "/usage/photos")
                .then().statusCode(400).body(containsString("This form has expired"));
        assertEquals(0L, Database.count("SELECT count(*) FROM user_feature_usage WHERE profile_id = ? "
                + "AND feature_id = 'photos' AND usage_count <> 0", profile));
        // a session cookie and token planted after the browser's own (a sibling sub-domain's Path=/ cookies,
        // which browsers send last): the browser signs in with its own session, so the planted token is not its
        String planted = CsrfToken.tokenFor("AAAAAAAAAAAAAAAAAAAAAA", DevSignIn.COOKIE + "=planted");
        browser.get("/console/profiles?id=" + profile).then().statusCode(200);
        given().redirects().follow(false).header("Cookie", DevSignIn.COOKIE + "=" + browser.session + "; csrf-token="
                + browser.csrfCookie + "; " + DevSignIn.COOKIE + "=planted; csrf-token=" + planted)
                .formParam("csrf-token", planted).formParam("used", "3")
                .post("/console/profiles/" + profile + "/usage/photos").then().statusCode(400)
                .body(containsString("This form has expired"));
        // nor is the browser's own token taken from a page the browser says is of another site
        given().redirects().follow(false).cookie(DevSignIn.COOKIE, browser.session).cookie("csrf-token", browser.csrfCookie)
                .header("Sec-Fetch-Site", "same-site").formParam("csrf-token", browser.csrfField).formParam("used", "3")
                .post("/console/profiles/" + profile + "/usage/photos").then().statusCode(400)
                .body(containsString("This form has expired"));
        assertEquals(0L, Database.count("SELECT count(*) FROM user_feature_usage WHERE profile_id = ? "
                + "AND feature_id = 'photos' AND usage_count <> 0", profile));
        // the token of a page of the browser's session carries it
        browser.post("/console/profiles/" + profile + "/usage/photos", Map.of("used", "3")).then().statusCode(303);
    }

    /** Two grants of one tier have Revoke buttons a screen reader tells apart: each names its own grant. */
    @Test
    void everyRevokeButtonNamesItsOwnGrant() {
        Browser browser = Browser.signIn();
        String profile = Profiles.onTier("free");
        for (int days : new int[] { 3, 5 }) {
            asAdmin().body(Map.of("tierId", "premium", "days", days)).post("/api/v1/profiles/" + profile + "/grants")
                    .then().statusCode(201);
        }
        List<String> labels = Pattern.compile("aria-label=\"(Revoke [^\"]*)\"")
                .matcher(browser.get("/console/profiles?id=" + profile).then().statusCode(200).extract().asString())
                .results().map(match -> match.group(1)).toList();
        assertEquals(2, labels.size(), labels.toString());
        assertEquals(2, Set.copyOf(labels).size(), "two buttons say the same: " + labels);
    }

    /**
     * What the service answers before any page can (an address that is no page, a form's address
     * opened by hand, a post that is no form, the database out) is a page in words on a console
     * address, not the API's JSON.
     */
    @Test
    void aProblemOnAConsoleAddressIsAPageInWords() {
        Browser browser = Browser.signIn();
        String profile = Profiles.onTier("free");
        browser.get("/console/no-such-page").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("There is no such page in the console."));
        browser.get("/console/profiles/" + profile + "/grants").then().statusCode(405)
                .contentType(containsString("text/html")).body(containsString("This address belongs to a form"));
        given().redirects().follow(false).cookie(DevSignIn.COOKIE, browser.session).contentType("text/plain")
                .body("used=3").post("/console/profiles/" + profile + "/usage/photos").then().statusCode(415)
                .contentType(containsString("text/html")).body(containsString("ordinary form posts"));
        try {
            TcpProxy.switchDatabase(false);
            browser.get("/console").then().statusCode(503).contentType(containsString("text/html"))
                    .body(containsString("The database cannot be reached right now"), not(containsString("\"code\"")));
        } finally {
            TcpProxy.switchDatabase(true);
        }
        // the API's answers stay problems
        asAdmin().get("/api/v1/no-such-resource").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theWebhooksPageShowsHealthAndRetriesADelivery() {
        Browser browser = Browser.signIn();
        String url = "http://127.0.0.1:9/hook";
        String id = asAdmin().body(Map.of("url", url)).post("/api/v1/webhooks").then().statusCode(201)
                .extract().jsonPath().getString("id");
        try {
            Profiles.register(); // queues its event for every endpoint
            dispatcher.dispatch().await().atMost(Duration.ofSeconds(30)); // nothing listens on port 9: stays pending
            String eventId = asAdmin().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                    .extract().jsonPath().getString("items[0].eventId");
            assertNotNull(eventId);

            String list = browser.get("/console/webhooks").then().statusCode(200)
                    .body(containsString("id=\"webhook-" + id + "\""), containsString(url), containsString("every type"),
                            containsString("shown only once"))
                    .extract().asString();
            Matcher waiting = Pattern.compile("id=\"webhook-" + id + "\"[\\s\\S]*?class=\"pending\">(\\d+)<").matcher(list);
            assertTrue(waiting.find());
            assertTrue(Long.parseLong(waiting.group(1)) >= 1, "the event waits for its next attempt");

            browser.get("/console/webhooks?selected=" + id).then().statusCode(200)
                    .body(containsString("data-event=\"" + eventId + "\" data-status=\"pending\""),
                            containsString("action=\"/console/webhooks/" + id + "/deliveries/" + eventId + "/retry\""));
            browser.get("/console/webhooks?selected=" + id + "&status=delivered").then().statusCode(200)
                    .body(not(containsString("data-event=\"" + eventId + "\"")));
            // an unknown selection is said on the page, which still lists the endpoints, with the API's status
            browser.get("/console/webhooks?selected=no-such-endpoint").then().statusCode(404)
                    .body(containsString("There is no such webhook endpoint."), containsString("id=\"webhook-" + id + "\""));
            browser.get("/console/coupons?selected=no-such-coupon").then().statusCode(404)
                    .body(containsString("There is no such coupon."), containsString("id=\"coupon-form\""));
            assertNotNull(firstAttempt(id, eventId), "the dispatcher has tried it");

            Response retried = browser.post("/console/webhooks/" + id + "/deliveries/" + eventId + "/retry", Map.of());
            retried.then().statusCode(303);
            assertEquals("delivery_retried", query(retried.getHeader("Location"), "done"));
            // a retry opens a new retry window: the first attempt of it is still to come
            assertNull(firstAttempt(id, eventId));
            browser.get(retried.getHeader("Location")).then().statusCode(200)
                    .body(containsString("The delivery was queued again."));

            browser.post("/console/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/retry", Map.of())
                    .then().statusCode(400).body(containsString("That event was never queued for this endpoint."));
        } finally {
            asAdmin().delete("/api/v1/webhooks/" + id);
        }
    }

    private static Object firstAttempt(String endpoint, String eventId) {
        return Database.query("""
                SELECT d.first_attempt_at FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE d.endpoint_id = ? AND e.id = ?::UUID""", endpoint, eventId).get(0).get("first_attempt_at");
    }
}
