package com.acme.subscription.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged service without an OpenID Connect provider has no console: no page, no dev sign-in
 * (that is built into dev and test mode only), no way to mint a session.
 */
@QuarkusIntegrationTest
class ConsoleNotConfiguredIT {

    @Test
    void everyConsolePathIsNotFound() {
        for (String path : new String[] { "/console", "/console/profiles", "/console/catalog", "/console/dev-sign-in" }) {
            given().redirects().follow(false).get(path).then().statusCode(404)
                    .body(not(containsString("Sign in as dev admin")));
        }
        given().redirects().follow(false).formParam("csrf-token", "x").post("/console/dev-sign-in").then().statusCode(404);
    }
}
