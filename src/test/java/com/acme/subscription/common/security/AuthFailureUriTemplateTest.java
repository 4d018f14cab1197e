package com.acme.subscription.common.security;

import static com.acme.subscription.support.ApiTest.anonymous;
import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.management;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.AuthFailureHandlerProbe;
import com.acme.subscription.support.LogRecords;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A request reaches authorization holding the service's failing handler, so Quarkus REST does not
 * build a request mapper for it ({@link AuthFailureUriTemplate}); refused requests are still answered
 * by the problem mappers, once, and counted under their URI template in {@code http_server_requests},
 * not under their path.
 */
@QuarkusTest
class AuthFailureUriTemplateTest {

    @Test
    void authorizationHoldsTheFailingHandlerOfTheService() {
        as(TestTokens.service()).header(AuthFailureHandlerProbe.ASK, "yes")
                .get("/api/v1/profiles/uri-template-nobody/entitlements/photos")
                .then().statusCode(404)
                .header(AuthFailureHandlerProbe.ANSWER, equalTo(AuthFailureUriTemplate.FailRequest.class.getName()))
                // past authorization only Quarkus REST refuses, and it answers its refusals itself
                .header(AuthFailureHandlerProbe.ANSWER_AT_ROUTES, equalTo("none"));
    }

    @Test
    void aRequestWithAnInvalidTokenIsAnsweredOnce() {
        try (LogRecords logged = LogRecords.collect()) {
            // each refusal's second answer, when there is one, is logged in the task that wrote the first
            for (int i = 0; i < 3; i++) {
                as("not.a.jwt").contentType("application/json").body("{\"name\": \"Once\", \"sortOrder\": 300}")
                        .put("/api/v1/tiers/uri-template-once")
                        .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("unauthorized"));
            }
            assertEquals("", LogRecords.describe(logged.from("io.quarkus.vertx.http.runtime.QuarkusErrorHandler")),
                    "answered once: no second answer logged as an error");
        }
    }

    @Test
    void aRequestWithoutATokenIsCountedUnderItsTemplate() {
        anonymous().get("/api/v1/profiles/uri-template-anonymous/grants").then().statusCode(401);
        assertCounted("GET", "401", "/api/v1/profiles/{id}/grants", "uri-template-anonymous");
    }

    @Test
    void aRequestWithAnExpiredTokenIsCountedUnderItsTemplate() {
        as(TestTokens.expired()).get("/api/v1/profiles/uri-template-expired/redemptions").then().statusCode(401);
        assertCounted("GET", "401", "/api/v1/profiles/{id}/redemptions", "uri-template-expired");
    }

    @Test
    void aRequestWithoutTheRoleIsCountedUnderItsTemplate() {
        as(TestTokens.user("uri-template-user")).delete("/api/v1/profiles/uri-template-user/overrides/photos")
                .then().statusCode(403);
        assertCounted("DELETE", "403", "/api/v1/profiles/{id}/overrides/{featureId}", "uri-template-user");
    }

    private static void assertCounted(String method, String status, String template, String pathPart) {
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        String series = "http_server_requests_seconds_count{method=\"" + method + "\",outcome=\"CLIENT_ERROR\",status=\""
                + status + "\",uri=\"" + template + "\"}";
        assertTrue(metrics.contains(series), series + " in:\n" + grep(metrics, "http_server_requests_seconds_count"));
        assertFalse(metrics.contains(pathPart), pathPart + " in:\n" + grep(metrics, pathPart));
    }

    private static String grep(String text, String part) {
        StringBuilder found = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.contains(part)) {
                found.append(line).append('\n');
            }
        }
        return found.toString();
    }
}
