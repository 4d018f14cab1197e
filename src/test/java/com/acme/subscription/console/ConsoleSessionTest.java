package com.acme.subscription.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A console session (the cookie of the OpenID Connect sign-in) opens the console and nothing else:
 * the API and OFREP take their own bearer tokens only, whatever groups the provider gave the
 * person (docs/console.md). Signed in without a browser: the code flow's redirects by hand.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalOidcProvider.class, restrictToAnnotatedClass = true)
class ConsoleSessionTest {

    @Test
    void aConsoleSessionIsNoWayIntoTheApi() throws Exception {
        Map<String, String> session = signIn(LocalOidcProvider.ALICE);
        given().redirects().follow(false).cookies(session).get("/console").then().statusCode(200);

        given().cookies(session).get("/api/v1/tiers").then().statusCode(401);
        given().cookies(session).delete("/api/v1/profiles/p-console-session").then().statusCode(401);
        given().cookies(session).contentType(ContentType.JSON).body(Map.of("context", Map.of("targetingKey", "p1")))
                .post("/ofrep/v1/evaluate/flags").then().statusCode(401);
    }

    @Test
    void consolePagesAreNeitherFramedNorKept() throws Exception {
        Map<String, String> session = signIn(LocalOidcProvider.ALICE);
        Response page = given().redirects().follow(false).cookies(session).get("/console/catalog");
        page.then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }

    @Test
    void theSignInAsksForPkceAndANonce() {
        Response start = given().redirects().follow(false).get("/console");
        start.then().statusCode(302);
        Map<String, String> authorization = query(URI.create(start.header("Location")));
        assertEquals("S256", authorization.get("code_challenge_method"));
        assertFalse(authorization.getOrDefault("code_challenge", "").isBlank(), authorization.toString());
        assertFalse(authorization.getOrDefault("nonce", "").isBlank(), authorization.toString());
    }

    /** The authorization code flow: the console's redirect, the provider's sign-in, the callback. */
    private static Map<String, String> signIn(LocalOidcProvider.User user) throws Exception {
        Response start = given().redirects().follow(false).get("/console");
        start.then().statusCode(302);
        URI authorization = URI.create(start.header("Location"));
        Map<String, String> form = new LinkedHashMap<>(query(authorization));
        form.put("username", user.username());
        form.put("password", user.password());
        HttpResponse<String> signedIn = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(LocalOidcProvider.authorizationEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, signedIn.statusCode(), signedIn.body());
        Response callback = given().redirects().follow(false).cookies(start.getCookies())
                .get(signedIn.headers().firstValue("Location").orElseThrow());
        callback.then().statusCode(302);
        Map<String, String> session = callback.getCookies().entrySet().stream()
                .filter(cookie -> cookie.getKey().startsWith("q_session"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertFalse(session.isEmpty(), "no session cookie: " + callback.getHeaders());
        return session;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
