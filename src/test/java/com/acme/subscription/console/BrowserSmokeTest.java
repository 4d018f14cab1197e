package com.acme.subscription.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium signs alice in at the test provider: the Browser helper and the login page both work. */
@BrowserTest
class BrowserSmokeTest {

    @BeforeAll
    static void start() {
        LocalOidcProvider.startServer();
    }

    @AfterAll
    static void stop() {
        LocalOidcProvider.stopServer();
    }

    @Test
    void signsInAtTheProviderAndComesBackWithACode() throws Exception {
        String callback = LocalOidcProvider.callbackEchoUrl();
        try (Browser browser = Browser.open()) {
            browser.get(LocalOidcProvider.authorizationRequest(callback, "smoke-state", "smoke-nonce").toString());
            browser.waitForText(By.tagName("h1"), "Sign in to Test Identity Provider");

            fieldLabelled(browser, "Username").sendKeys(LocalOidcProvider.ALICE.username());
            fieldLabelled(browser, "Password").sendKeys(LocalOidcProvider.ALICE.password());
            Path shot = browser.screenshot("oidc-login");
            assertTrue(Files.size(shot) > 0);
            browser.driver().findElement(By.id("sign-in")).click();

            new WebDriverWait(browser.driver(), Browser.WAIT).until(ExpectedConditions.urlContains("code="));
            String url = browser.driver().getCurrentUrl();
            assertTrue(url.startsWith(callback + "?code="), url);
            assertTrue(url.endsWith("&state=smoke-state"), url);
            browser.waitForText(By.id("query"), "state=smoke-state");
        }
    }

    /** The input a label names, the way a person finds it. */
    private static WebElement fieldLabelled(Browser browser, String label) {
        String id = browser.driver().findElement(By.xpath("//label[normalize-space()='" + label + "']"))
                .getAttribute("for");
        return browser.driver().findElement(By.id(id));
    }
}
