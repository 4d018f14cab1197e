package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.acme.subscription.support.Profiles;
import com.acme.subscription.support.Settings;
import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Bad input is a 400 problem with code validation_failed and the field to blame, and changes nothing. */
@QuarkusTest
class ValidationTest {

    static Stream<Arguments> badTierBodies() {
        return Stream.of(
                Arguments.of("{\"name\": \"X\", \"sortOrder\": ", "body"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 5} trailing", "body"),
                Arguments.of("[1, 2]", "body"),
                Arguments.of("\"text\"", "body"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": \"5\"}", "sortOrder"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 1.5}", "sortOrder"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 5.0}", "sortOrder"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": true}", "sortOrder"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 99999999999}", "sortOrder"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": {}}", "sortOrder"),
                Arguments.of("{\"name\": \"X\"}", "sortOrder"),
                Arguments.of("{\"sortOrder\": 500}", "name"),
                Arguments.of("{\"name\": \"  \", \"sortOrder\": 500}", "name"),
                Arguments.of("{\"name\": 42, \"sortOrder\": 500}", "name"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 500, \"priceMonthlyCents\": -1}", "priceMonthlyCents"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 500, \"active\": \"yes\"}", "active"),
                Arguments.of("{\"name\": \"X\", \"sortOrder\": 500, \"active\": 1}", "active"));
    }

    static Stream<Arguments> badFeatureBodies() {
        return Stream.of(
                Arguments.of("{\"name\": \"F\", \"limitType\": \"counter\"}", "limitType"),
                Arguments.of("{\"name\": \"F\", \"limitType\": 0}", "limitType"),
                Arguments.of("{\"name\": \"F\", \"resetPeriod\": \"weekly\"}", "resetPeriod"),
                Arguments.of("{\"name\": \"F\", \"resetPeriod\": \"MONTHLY\"}", "resetPeriod"),
                Arguments.of("{\"name\": \"F\", \"defaultLimit\": -1}", "defaultLimit"),
                Arguments.of("{\"name\": \"F\", \"defaultLimit\": 2.5}", "defaultLimit"),
                Arguments.of("{\"limitType\": \"count\"}", "name"));
    }

    static Stream<Arguments> badLimitBodies() {
        return Stream.of(
                Arguments.of("{}", "limit"),
                Arguments.of("{\"limit\": -1}", "limit"),
                Arguments.of("{\"limit\": 1.5}", "limit"),
                Arguments.of("{\"limit\": \"3\"}", "limit"),
                Arguments.of("{\"limit\": false}", "limit"),
                Arguments.of("{\"limit\": 3000000000}", "limit"),
                Arguments.of("{\"limit\": ", "body"));
    }

    @ParameterizedTest(name = "PUT tier {0}")
    @MethodSource("badTierBodies")
    void badTierBodiesAre400(String body, String field) {
        asAdmin().body(body).put("/api/v1/tiers/val_t1").then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/api/v1/tiers/val_t1"))
                .body("errors.field", hasItem(field));
        asAdmin().get("/api/v1/tiers/val_t1").then().statusCode(404);
    }

    @ParameterizedTest(name = "PUT feature {0}")
    @MethodSource("badFeatureBodies")
    void badFeatureBodiesAre400(String body, String field) {
        asAdmin().body(body).put("/api/v1/features/val_f1").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors.field", hasItem(field));
        asAdmin().get("/api/v1/features/val_f1").then().statusCode(404);
    }

    @ParameterizedTest(name = "PUT limit {0}")
    @MethodSource("badLimitBodies")
    void badLimitBodiesAre400AndChangeNothing(String body, String field) {
        asAdmin().body(body).put("/api/v1/tiers/free/limits/photos").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors.field", hasItem(field));
        asAdmin().get("/api/v1/tier-limits").then().body("limits.free.photos", equalTo(5));
    }

    @Test
    void idsOutsideTheIdFormatAreRefusedOnCreation() {
        for (String id : new String[] { "Gold", "1gold", "gold-tier", "_x", "a".repeat(65) }) {
            asAdmin().body("{\"name\": \"X\", \"sortOrder\": 600}").put("/api/v1/tiers/" + id).then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("tierId"));
            asAdmin().body("{\"name\": \"X\"}").put("/api/v1/features/" + id).then().statusCode(400)
                    .body("errors[0].field", equalTo("featureId"));
        }
        asAdmin().get("/api/v1/tiers").then().body("id", not(hasItem("Gold")));
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("/api/v1/settings/trial_duration_days", "{\"value\": 7}", "value", "must be a string"),
                Arguments.of("/api/v1/tiers/val_t4", "{\"name\": \"X\", \"sortOrder\": \"5\"}", "sortOrder",
                        "must be an integer"),
                Arguments.of("/api/v1/tiers/val_t4", "{\"name\": \"X\", \"sortOrder\": 5, \"active\": 1}", "active",
                        "must be true or false"),
                Arguments.of("/api/v1/tiers/val_t4", "{\"name\": \"X\", \"sortOrder\": 99999999999}", "sortOrder",
                        "is out of range"),
                Arguments.of("/api/v1/features/val_f4", "{\"name\": \"F\", \"limitType\": \"counter\"}", "limitType",
                        "must be one of boolean, count, quota"),
                Arguments.of("/api/v1/tiers/val_t4", "{\"name\": \"X\", \"sortOrder\": {}}", "sortOrder",
                        "must be an integer"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongTypes")
    void aValueOfTheWrongTypeIsExplainedInJsonTerms(String path, String body, String field, String message) {
        asAdmin().body(body).put(path).then().statusCode(400)
                .body("code", equalTo("validation_failed"))
                .body("title", equalTo("Bad Request"))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", equalTo(message));
    }

    @Test
    void aMissingBodyIs400() {
        asAdmin().put("/api/v1/tiers/val_t2").then().statusCode(400).body("code", equalTo("validation_failed"));
        asAdmin().put("/api/v1/tiers/free/limits/photos").then().statusCode(400)
                .body("code", equalTo("validation_failed"));
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        asAdmin().contentType("text/plain").body("name=x").put("/api/v1/tiers/val_t3").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        asAdmin().get("/api/v1/no-such-thing").then().statusCode(404);
        asAdmin().post("/api/v1/tiers").then().statusCode(405).contentType("application/problem+json")
                .body("code", equalTo("method_not_allowed"));
    }

    /** A client that accepts no JSON gets the documented 406 (validated against the document, as all traffic). */
    @Test
    void anAcceptWithoutJsonIs406() {
        asAdmin().accept("application/xml").get("/api/v1/tiers").then().statusCode(406)
                .contentType("application/problem+json").body("code", equalTo("not_acceptable"));
        as(TestTokens.service()).accept("text/html").body("{\"context\": {\"targetingKey\": \"x\"}}")
                .post("/ofrep/v1/evaluate/flags/photos").then().statusCode(406).body("code", equalTo("not_acceptable"));
    }

    /**
     * Valid JSON that PostgreSQL cannot store as sent: bad input, not a fault of the service, and
     * never a changed value (a lone surrogate would be stored as "?").
     */
    @Test
    void aNulCharacterOrALoneSurrogateInATextIs400AndChangesNothing() {
        for (String name : List.of("a\\u0000b", "\\ud800", "a\\udc00b", "\\ud83d\\ud83d")) {
            asAdmin().body("{\"name\": \"" + name + "\", \"sortOrder\": 701}").put("/api/v1/tiers/nul_t")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("name"))
                    .body("errors[0].message", equalTo("must be text without NUL characters (\\u0000) or lone surrogates"));
        }
        asAdmin().get("/api/v1/tiers/nul_t").then().statusCode(404);
        // a whole pair is a character like any other, stored as sent
        asAdmin().body("{\"name\": \"smile \\ud83d\\ude00\", \"sortOrder\": 701}").put("/api/v1/tiers/nul_t")
                .then().statusCode(201).body("name", equalTo("smile \ud83d\ude00"));
        asAdmin().get("/api/v1/tiers/nul_t").then().statusCode(200).body("name", equalTo("smile \ud83d\ude00"));
        asAdmin().delete("/api/v1/tiers/nul_t").then().statusCode(204);
        // the same in a body read as a tree (a coupon's patch; webhooks: WebhookResourceTest)
        String coupon = asAdmin().body(Map.of("code", "NUL-" + System.nanoTime(), "type", "period", "tierId", "basic",
                "durationDays", 3, "description", "kept")).post("/api/v1/coupons").then().statusCode(201).extract().path("id");
        for (String description : List.of("a\\u0000b", "\\udc00")) {
            asAdmin().body("{\"description\": \"" + description + "\"}").patch("/api/v1/coupons/" + coupon).then()
                    .statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("description"))
                    .body("errors[0].message", equalTo("must be text without NUL characters (\\u0000) or lone surrogates"));
        }
        asAdmin().get("/api/v1/coupons/" + coupon).then().statusCode(200).body("description", equalTo("kept"));
        asAdmin().queryParam("profileId", "a\u0000b").get("/api/v1/activity")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    /**
     * Instants Java reads but RFC 3339 (the document's date-time) does not allow: years outside 0000
     * to 9999, which PostgreSQL cannot store or the client would write as -infinity.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("instantsOutsideTheDocumentedYears")
    void instantsOutsideTheYears0000To9999Are400AndChangeNothing(String instant) {
        String code = "FARTIME" + System.nanoTime();
        String coupon = "{\"code\": \"" + code + "\", \"type\": \"period\", \"tierId\": \"basic\", \"durationDays\": 3";
        asAdmin().body(coupon + ", \"validFrom\": \"" + instant + "\"}").post("/api/v1/coupons")
                .then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("validFrom"))
                .body("errors[0].message", equalTo("must be an ISO-8601 timestamp such as 2026-11-25T17:00:00Z, in the years 0000 to 9999"));
        // nothing was created: the code is still free
        String id = asAdmin().body(coupon + "}").post("/api/v1/coupons").then().statusCode(201).extract().path("id");
        asAdmin().body("{\"validUntil\": \"" + instant + "\"}").patch("/api/v1/coupons/" + id)
                .then().statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("validUntil"));
        asAdmin().get("/api/v1/coupons/" + id).then().statusCode(200).body("validUntil", equalTo(null));
        asAdmin().queryParam("since", instant).get("/api/v1/activity")
                .then().statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("since"));
        asAdmin().queryParam("since", instant).get("/api/v1/events")
                .then().statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("since"));
    }

    /** An instant is an ISO-8601 string: a number is not read as seconds since 1970. */
    @Test
    void anInstantIsNeverANumber() {
        String coupon = "{\"code\": \"NUMTIME" + System.nanoTime() + "\", \"type\": \"period\", \"tierId\": \"basic\", "
                + "\"durationDays\": 3, \"validUntil\": 1990000000}";
        asAdmin().body(coupon).post("/api/v1/coupons").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("validUntil"))
                .body("errors[0].message", equalTo("must be an ISO-8601 timestamp such as 2026-11-25T17:00:00Z, in the years 0000 to 9999"));
    }

    /**
     * Instants are kept to the microsecond, as stored: a validUntil a nanosecond after validFrom is
     * the same instant, and so not after it.
     */
    @Test
    void instantsAreKeptToTheMicrosecond() {
        String coupon = "{\"code\": \"NANO" + System.nanoTime() + "\", \"type\": \"period\", \"tierId\": \"basic\", "
                + "\"durationDays\": 3, \"validFrom\": \"2030-01-01T00:00:00Z\"";
        asAdmin().body(coupon + ", \"validUntil\": \"2030-01-01T00:00:00.000000001Z\"}").post("/api/v1/coupons")
                .then().statusCode(400).body("errors[0].field", equalTo("validUntil"))
                .body("errors[0].message", equalTo("must be after validFrom"));
        asAdmin().body(coupon + ", \"validUntil\": \"2030-01-01T00:00:00.000001999Z\"}").post("/api/v1/coupons")
                .then().statusCode(201).body("validUntil", equalTo("2030-01-01T00:00:00.000001Z"));
    }

    static Stream<String> instantsOutsideTheDocumentedYears() {
        return Stream.of("-5000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z");
    }

    /**
     * A path segment longer than any id names nothing: 404, whatever the request would store under
     * it. Keyed by such an id, a row (an idempotent answer, an override, a tier's limit) would not
     * fit its key's index.
     */
    @Test
    void idsLongerThanAnyIdAre404() {
        // random, so that PostgreSQL cannot compress it into an index entry
        Random random = new Random(7);
        String longId = random.ints(3000, 0, 36).mapToObj(i -> Character.toString(Character.forDigit(i, 36)))
                .collect(Collectors.joining());
        String id = Profiles.onTier("free");
        String consume = "/api/v1/profiles/" + id + "/usage/" + longId + "/consume";
        String answer = as(TestTokens.service()).header("Idempotency-Key", "long-path").body("{}").post(consume)
                .then().statusCode(404).body("code", equalTo("feature_not_found")).extract().asString();
        // the refusal was stored under the key like any other, and is replayed
        as(TestTokens.service()).header("Idempotency-Key", "long-path").body("{}").post(consume)
                .then().statusCode(404).header("Idempotent-Replayed", "true").body(equalTo(answer));
        as(TestTokens.service()).header("Idempotency-Key", "long-path").body("{\"tierId\": \"basic\", \"days\": 1}")
                .post("/api/v1/profiles/" + longId + "/grants").then().statusCode(404)
                .body("code", equalTo("profile_not_found"));

        asAdmin().body("{\"limit\": 1}").put("/api/v1/profiles/" + id + "/overrides/" + longId)
                .then().statusCode(404).body("code", equalTo("feature_not_found"));
        asAdmin().body("{\"limit\": 1}").put("/api/v1/tiers/" + longId + "/limits/photos")
                .then().statusCode(404).body("code", equalTo("tier_not_found"));
        asAdmin().body("{\"limit\": 1}").put("/api/v1/tiers/free/limits/" + longId)
                .then().statusCode(404).body("code", equalTo("feature_not_found"));
    }

    /** A field named twice gives no one value: 400 naming it, whatever reads the body, and nothing changes. */
    @Test
    void aFieldGivenTwiceIs400AndChangesNothing() {
        String profile = Profiles.onTier("free");
        as(TestTokens.service()).body("{\"amount\": 1, \"amount\": 2}")
                .post("/api/v1/profiles/" + profile + "/usage/photos/consume").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("validation_failed"))
                .body("errors.field", hasItem("amount"));
        as(TestTokens.service()).get("/api/v1/profiles/" + profile + "/entitlements/photos").then().statusCode(200)
                .body("used", equalTo(0));
        asAdmin().body("{\"name\": \"X\", \"sortOrder\": 702, \"name\": \"Y\"}").put("/api/v1/tiers/dup_t").then()
                .statusCode(400).body("code", equalTo("validation_failed")).body("errors.field", hasItem("name"));
        asAdmin().get("/api/v1/tiers/dup_t").then().statusCode(404);
        asAdmin().body("{\"value\": \"15\", \"value\": \"16\"}").put("/api/v1/settings/trial_duration_days").then()
                .statusCode(400).body("errors.field", hasItem("value"));
        asAdmin().get("/api/v1/settings").then().body("trial_duration_days", equalTo("0")); // as Profiles.onTier left it
        Settings.restoreSeed();
        as(TestTokens.service()).body("{\"context\": {\"targetingKey\": \"" + profile + "\", \"targetingKey\": \"x\"}}")
                .post("/ofrep/v1/evaluate/flags/photos").then().statusCode(400).body("errorCode", equalTo("PARSE_ERROR"));
    }

    @Test
    void noShapeOfRequestIsA500() {
        String[] bodies = { "", "null", "{}", "[]", "0", "\"\"", "{\"name\": null, \"sortOrder\": null}",
                "{\"name\": \"" + "x".repeat(10_000) + "\", \"sortOrder\": 700}", "{\"limit\": null}",
                "{\"value\": null}", "{\"value\": 5}", "{\"a\":{\"b\":{\"c\":[[[[]]]]}}}", "\u0000", "{\"name\":\"\\ud800\"}" };
        String[] paths = { "/api/v1/tiers/fuzz_t", "/api/v1/features/fuzz_f", "/api/v1/tiers/free/limits/photos",
                "/api/v1/settings/trial_duration_days", "/api/v1/tiers/%20", "/api/v1/tiers/x%00y" };
        for (String path : paths) {
            for (String body : bodies) {
                for (String method : new String[] { "PUT", "DELETE", "GET", "POST", "PATCH" }) {
                    asAdmin().body(body).request(method, path).then().statusCode(lessThan(500));
                }
            }
        }
        asAdmin().get("/api/v1/settings").then().body("trial_duration_days", equalTo("14"));
        // {"limit": null} and DELETE were valid requests on the seed's cell: put it back
        asAdmin().body("{\"limit\": 5}").put("/api/v1/tiers/free/limits/photos").then().statusCode(201);
    }

    /**
     * A body announced larger than the service takes (10 MiB) is refused as a problem before any of it
     * is read, and the connection is closed: sent over a socket, since an HTTP client would insist on
     * sending the body first.
     */
    @Test
    void aBodyLargerThanTheLimitIs413WithItsProblem() throws IOException {
        String id = Profiles.onTier("free");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000); // a connection left open would keep this read waiting
            socket.getOutputStream().write(("POST /api/v1/profiles/" + id + "/usage/photos/consume HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer " + TestTokens.service() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + 11 * 1024 * 1024 + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            // read to the end: the service closes the connection after its answer
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("\"code\":\"payload_too_large\""), answer);
        }
        as(TestTokens.service()).get("/api/v1/profiles/" + id + "/entitlements/photos").then().body("used", equalTo(0));
    }
}
