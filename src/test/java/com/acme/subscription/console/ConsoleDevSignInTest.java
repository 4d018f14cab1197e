package com.acme.subscription.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The console without a provider, as dev mode has it: the dev key signs in as an admin; the
 * forms need their CSRF token; a token of another role gets the 403 page. (The browser tests
 * walk the console behind a real OpenID Connect provider.)
 */
@QuarkusTest
class ConsoleDevSignInTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Test
    void anAnonymousBrowserIsSentToTheDevSignIn() {
        given().redirects().follow(false).get("/console")
                .then().statusCode(303).header("Location", endsWith("/console/dev-sign-in"));
    }

    @Test
    void theDevKeySignsInAsAnAdminAndTheFormsNeedTheirToken() {
        Response signInPage = given().get("/console/dev-sign-in");
        signInPage.then().statusCode(200).body(containsString("Sign in as dev admin"));
        String csrfCookie = signInPage.getCookie("csrf-token");
        String csrfField = field(signInPage.asString());
        assertNotNull(csrfCookie);

        // without the form's token the post is refused, and no session cookie is set
        given().redirects().follow(false).cookie("csrf-token", csrfCookie).formParam("x", "y")
                .post("/console/dev-sign-in").then().statusCode(400).header("Set-Cookie", not(containsString("console-dev-token")));

        Response signedIn = given().redirects().follow(false).cookie("csrf-token", csrfCookie)
                .formParam("csrf-token", csrfField).post("/console/dev-sign-in");
        signedIn.then().statusCode(303).header("Location", endsWith("/console"));
        String session = signedIn.getCookie(DevSignIn.COOKIE);
        assertNotNull(session);

        given().cookie(DevSignIn.COOKIE, session).get("/console").then().statusCode(200)
                .body(containsString("<h1>Overview</h1>"), containsString("Webhook health"));
        String id = Profiles.register();
        given().cookie(DevSignIn.COOKIE, session).get("/console/profiles?id=" + id).then().statusCode(200)
                .body(containsString(id + "@example.com"), containsString("Effective tier"));
    }

    @Test
    void aTokenOfAnotherRoleGetsTheForbiddenPage() {
        given().cookie(DevSignIn.COOKIE, TestTokens.service()).get("/console").then().statusCode(403)
                .body(containsString("This console is for admins"));
    }

    @Test
    void theApiIsNotTouchedByTheConsoleFormsToken() {
        // a form body sent to the API is the API's 415, a bodiless POST with a form type goes through
        given().auth().oauth2(TestTokens.admin()).formParam("name", "x").put("/api/v1/tiers/console_form_t1")
                .then().statusCode(415).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("unsupported_media_type"));
        given().contentType("application/x-www-form-urlencoded").post("/api/v1/dev/tokens?role=admin")
                .then().statusCode(200);
    }

    private static String field(String html) {
        Matcher matcher = CSRF_FIELD.matcher(html);
        return matcher.find() ? matcher.group(1) : null;
    }
}
