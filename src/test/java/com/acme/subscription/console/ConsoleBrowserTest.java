package com.acme.subscription.console;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.acme.subscription.support.Coupons;
import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TcpProxy;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real browser behind a real OpenID Connect provider: the flows support staff walk
 * every day, each checked against the API afterwards (the console must change what the API sees,
 * under the admin's subject). Every page is saved as a screenshot under target/console-screenshots.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalOidcProvider.class, restrictToAnnotatedClass = true)
@BrowserTest
class ConsoleBrowserTest {

    @TestHTTPResource("/console")
    URL console;

    @Test
    void supportFindsWhyAProfileIsDeniedGrantsPremiumAndSeesTheWellpassPause() {
        String id = Profiles.onTier("free");
        String email = id + "@example.com";
        try (Browser browser = Browser.open()) {
            signIn(browser, LocalOidcProvider.ALICE);
            browser.waitForText(By.tagName("h1"), "Overview");
            browser.screenshot("overview");

            // find the profile by e-mail, as a support person would
            browser.driver().findElement(By.linkText("Profiles")).click();
            WebElement search = fieldLabelled(browser, "Profile id or e-mail address");
            search.sendKeys(email.toUpperCase(), Keys.ENTER);
            browser.waitForText(By.tagName("h1"), email);
            assertEquals("Free", browser.driver().findElement(By.id("effective-tier")).getText());
            // why it is denied ai_calls, in words
            WebElement aiCalls = browser.driver().findElement(By.id("feature-ai_calls"));
            assertTrue(aiCalls.getText().contains("Denied"), aiCalls.getText());
            assertTrue(aiCalls.getText().contains("does not include this feature"), aiCalls.getText());
            browser.screenshot("profile-denied");
            checkAllowed(id, "ai_calls", false);

            // grant premium for 14 days: the check flips
            new Select(fieldLabelled(browser, "Tier")).selectByValue("premium");
            WebElement days = fieldLabelled(browser, "Days");
            days.clear();
            days.sendKeys("14");
            fieldLabelled(browser, "Reason").sendKeys("Goodwill after the outage");
            browser.driver().findElement(By.cssSelector("#grant-form button[type=submit]")).click();
            browser.waitForText(By.cssSelector("[role=status]"), "The grant was created.");
            assertEquals("Premium", browser.driver().findElement(By.id("effective-tier")).getText());
            assertTrue(browser.driver().findElement(By.id("feature-ai_calls")).getText().contains("Allowed"));
            checkAllowed(id, "ai_calls", true);
            // recorded like the API's grant, under the admin's subject
            asAdmin().get("/api/v1/profiles/" + id + "/activity").then().statusCode(200)
                    .body("items.find { it.action == 'grant_created' }.details.by", equalTo(LocalOidcProvider.ALICE.sub()))
                    .body("items.find { it.action == 'grant_created' }.details.reason", equalTo("Goodwill after the outage"));

            // a Wellpass coupon redeemed for her pauses the premium grant: the timeline shows it
            String wellpass = Coupons.create("wellpass", "basic", 30, null);
            fieldLabelled(browser, "Coupon code").sendKeys(wellpass);
            browser.driver().findElement(By.cssSelector("#redeem-form button[type=submit]")).click();
            browser.waitForText(By.cssSelector("[role=status]"), "The coupon was redeemed");
            List<WebElement> paused = browser.driver().findElements(By.cssSelector("#timeline .lane[data-state=paused]"));
            assertEquals(1, paused.size());
            assertEquals(1, paused.get(0).findElements(By.cssSelector(".seg.paused")).size());
            WebElement pausedRow = browser.driver().findElement(By.cssSelector("#grants tr[data-state=paused]"));
            assertTrue(pausedRow.getText().contains("premium: paused by the Wellpass grant of basic"), pausedRow.getText());
            assertEquals("Basic", browser.driver().findElement(By.id("effective-tier")).getText());
            browser.screenshot("profile");
            browser.phone();
            browser.screenshot("profile-phone");
            asAdmin().get("/api/v1/profiles/" + id + "/grants").then().statusCode(200)
                    .body("findAll { it.pausedBy != null }.tierId", equalTo(List.of("premium")));
        }
    }

    @Test
    void aMatrixCellEditedInTheConsoleChangesTheCheck() {
        String feature = "console_export_pdf";
        asAdmin().body(Map.of("name", "PDF export", "limitType", "count", "resetPeriod", "monthly", "defaultLimit", 0))
                .put("/api/v1/features/" + feature).then().statusCode(201);
        try (Browser browser = Browser.open()) {
            String id = Profiles.onTier("free");
            checkAllowed(id, feature, false);
            signIn(browser, LocalOidcProvider.ALICE);
            browser.get(console + "/catalog");
            WebElement cell = fieldLabelled(browser, "Limit of " + feature + " on free");
            cell.sendKeys("5", Keys.ENTER);
            // htmx swaps in the saved cell
            browser.waitForText(By.id("msg-free-" + feature), "Saved");
            assertEquals("5", browser.driver().findElement(By.id("limit-free-" + feature)).getAttribute("value"));
            checkAllowed(id, feature, true);

            // a refusal is said beside the cell, and changes nothing
            WebElement again = browser.driver().findElement(By.id("limit-free-" + feature));
            again.clear();
            again.sendKeys("-3", Keys.ENTER);
            browser.waitForText(By.id("msg-free-" + feature), "Limit must be greater than or equal to 0.");
            browser.screenshot("catalog");
            as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/" + feature).then()
                    .body("limit", equalTo(5));

            // a save the server refused before looking at it is said beside the cell, never as "Saved":
            // with the database out of reach, and with the page's token gone (as after its 12 hours)
            TcpProxy.switchDatabase(false);
            try {
                save(browser, feature, "8");
                browser.waitForText(By.id("msg-free-" + feature), "Not saved: the database cannot be reached");
            } finally {
                TcpProxy.switchDatabase(true);
            }
            save(browser, feature, "6");
            browser.waitForText(By.id("msg-free-" + feature), "Saved");
            browser.driver().manage().deleteCookieNamed("csrf-token");
            save(browser, feature, "7");
            browser.waitForText(By.id("msg-free-" + feature), "Not saved: this page has expired");
            as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/" + feature).then()
                    .body("limit", equalTo(6));
        } finally {
            asAdmin().delete("/api/v1/tiers/free/limits/" + feature).then().statusCode(204);
            asAdmin().delete("/api/v1/features/" + feature).then().statusCode(204);
        }
    }

    @Test
    void aCouponIsCreatedAndDeactivated() {
        String code = "SPRING-" + System.nanoTime();
        try (Browser browser = Browser.open()) {
            signIn(browser, LocalOidcProvider.ALICE);
            browser.get(console + "/coupons");
            browser.driver().findElement(By.id("coupon-code")).sendKeys(code);
            new Select(browser.driver().findElement(By.id("coupon-type"))).selectByValue("period");
            new Select(browser.driver().findElement(By.id("coupon-tier"))).selectByValue("premium");
            WebElement days = browser.driver().findElement(By.id("coupon-days"));
            days.clear();
            days.sendKeys("30");
            browser.driver().findElement(By.id("coupon-max")).sendKeys("100");
            browser.driver().findElement(By.cssSelector("#coupon-form button[type=submit]")).click();
            browser.waitForText(By.cssSelector("[role=status]"), "The coupon was created.");
            WebElement row = browser.waitFor(By.id("coupon-" + code.toLowerCase()));
            assertEquals("true", row.getAttribute("data-active"));

            row.findElement(By.cssSelector("button[aria-label='Deactivate " + code + "']")).click();
            browser.driver().switchTo().alert().accept();
            browser.waitForText(By.cssSelector("[role=status]"), "deactivated");
            assertEquals("false", browser.driver().findElement(By.id("coupon-" + code.toLowerCase())).getAttribute("data-active"));
            browser.screenshot("coupons");
            asAdmin().get("/api/v1/coupons?active=false&type=period").then().statusCode(200)
                    .body("items.find { it.code == '" + code + "' }.durationDays", equalTo(30))
                    .body("items.find { it.code == '" + code + "' }.createdBy", equalTo(LocalOidcProvider.ALICE.sub()));
        }
    }

    @Test
    void theWebhooksPageShowsEndpointsAndTheirHealth() {
        String id = asAdmin().body(Map.of("url", "http://127.0.0.1:9/console-hook")).post("/api/v1/webhooks").then()
                .statusCode(201).extract().path("id");
        try (Browser browser = Browser.open()) {
            signIn(browser, LocalOidcProvider.ALICE);
            browser.get(console + "/webhooks");
            browser.waitForText(By.tagName("main"), "http://127.0.0.1:9/console-hook");
            browser.screenshot("webhooks");
        } finally {
            // an endpoint left behind would take a delivery of every later test's events
            asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        }
    }

    @Test
    void someoneOutsideTheAdminGroupGetsTheForbiddenPage() {
        try (Browser browser = Browser.open()) {
            signIn(browser, LocalOidcProvider.BOB);
            browser.waitForText(By.tagName("h1"), "This console is for admins");
            assertTrue(browser.driver().findElement(By.cssSelector("[role=alert]")).getText()
                    .contains("Bob Support (bob@example.com)"));
            browser.screenshot("forbidden");
            // signing out ends the session here and at the provider: the next visit asks to sign in again
            browser.driver().findElement(By.linkText("Sign out")).click();
            browser.waitForText(By.tagName("h1"), "You are signed out");
            browser.get(console.toString());
            browser.waitForText(By.tagName("h1"), "Sign in to Test Identity Provider");
        }
    }

    @Test
    void aFormPostedWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        String id = Profiles.onTier("free");
        try (Browser browser = Browser.open()) {
            signIn(browser, LocalOidcProvider.ALICE);
            browser.get(console + "/profiles?id=" + id);
            browser.waitForText(By.tagName("h1"), id);
            // what a forged cross-site form would lack: the page's token
            browser.driver().executeScript("document.querySelector('#grant-form input[name=\"csrf-token\"]').remove()");
            browser.driver().findElement(By.cssSelector("#grant-form button[type=submit]")).click();
            browser.waitForText(By.tagName("h1"), "This form has expired");
            browser.screenshot("csrf-refused");
        }
        asAdmin().get("/api/v1/profiles/" + id + "/grants").then().statusCode(200).body("size()", equalTo(0));
    }

    private void signIn(Browser browser, LocalOidcProvider.User user) {
        browser.get(console.toString());
        browser.waitForText(By.tagName("h1"), "Sign in to Test Identity Provider");
        fieldLabelled(browser, "Username").sendKeys(user.username());
        fieldLabelled(browser, "Password").sendKeys(user.password());
        browser.driver().findElement(By.id("sign-in")).click();
        new WebDriverWait(browser.driver(), Browser.WAIT).until(ExpectedConditions.urlContains("/console"));
    }

    private static void save(Browser browser, String feature, String limit) {
        WebElement cell = browser.driver().findElement(By.id("limit-free-" + feature));
        cell.clear();
        cell.sendKeys(limit, Keys.ENTER);
    }

    private static void checkAllowed(String profileId, String feature, boolean allowed) {
        as(TestTokens.service()).get("/api/v1/profiles/" + profileId + "/entitlements/" + feature).then()
                .statusCode(200).body("allowed", equalTo(allowed));
    }

    /** The input a label names, the way a person finds it. */
    private static WebElement fieldLabelled(Browser browser, String label) {
        String id = browser.waitFor(By.xpath("//label[normalize-space()='" + label + "']")).getAttribute("for");
        return browser.driver().findElement(By.id(id));
    }
}
