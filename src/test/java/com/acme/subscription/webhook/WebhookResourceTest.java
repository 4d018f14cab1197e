package com.acme.subscription.webhook;

import static com.acme.subscription.support.ApiTest.as;
import static com.acme.subscription.support.ApiTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** The webhook administration API: shapes, validation, 404s and roles. */
@QuarkusTest
class WebhookResourceTest {

    private static final String URL = "http://127.0.0.1:9/hooks";

    @Test
    void anEndpointIsCreatedReadChangedAndDeleted() {
        String id = asAdmin().body(Map.of("url", URL, "eventTypes", List.of("grant.created", "grant.created"),
                "description", "crm")).post("/api/v1/webhooks").then().statusCode(201)
                .body("url", equalTo(URL)).body("eventTypes", equalTo(List.of("grant.created")))
                .body("description", equalTo("crm")).body("active", equalTo(true))
                .body("previousSecretUntil", nullValue())
                .extract().jsonPath().getString("id");

        asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("secret", nullValue()).body("$", not(hasItem("secret")));
        asAdmin().get("/api/v1/webhooks").then().statusCode(200).body("id", hasItem(id));

        asAdmin().body(Map.of("eventTypes", List.of(), "description", "all of them", "active", false))
                .patch("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("eventTypes", equalTo(List.of())).body("description", equalTo("all of them"))
                .body("active", equalTo(false)).body("url", equalTo(URL));
        asAdmin().body("{\"description\": null}").patch("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("description", nullValue()).body("active", equalTo(false));

        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(404).body("code", equalTo("webhook_not_found"));
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(404).body("code", equalTo("webhook_not_found"));
    }

    @Test
    void anEndpointCanBeCreatedSwitchedOff() {
        String id = asAdmin().body(Map.of("url", URL, "active", false)).post("/api/v1/webhooks").then().statusCode(201)
                .body("active", equalTo(false)).extract().jsonPath().getString("id");
        asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(200).body("active", equalTo(false));
        asAdmin().body(Map.of("active", true)).patch("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("active", equalTo(true));
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);

        String defaulted = asAdmin().body("{\"url\": \"" + URL + "\", \"active\": null}").post("/api/v1/webhooks").then()
                .statusCode(201).body("active", equalTo(true)).extract().jsonPath().getString("id");
        asAdmin().delete("/api/v1/webhooks/" + defaulted).then().statusCode(204);
        asAdmin().body("{\"url\": \"" + URL + "\", \"active\": \"false\"}").post("/api/v1/webhooks").then()
                .statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("active"));
    }

    /** A text PostgreSQL could not store as sent, read from the patch's tree: 400 naming the field, nothing changed. */
    @Test
    void aPatchedTextWithANulOrALoneSurrogateIs400() {
        String id = asAdmin().body(Map.of("url", URL, "description", "kept")).post("/api/v1/webhooks").then()
                .statusCode(201).extract().jsonPath().getString("id");
        for (String description : List.of("a\\u0000b", "\\ud800")) {
            asAdmin().body("{\"description\": \"" + description + "\"}").patch("/api/v1/webhooks/" + id).then()
                    .statusCode(400).body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("description"));
        }
        asAdmin().body("{\"url\": \"" + URL + "\\ud800\"}").patch("/api/v1/webhooks/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("url"));
        asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(200).body("description", equalTo("kept"))
                .body("url", equalTo(URL));
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    @Test
    void unknownEventTypesAndBadUrlsAre400() {
        asAdmin().body(Map.of("url", URL, "eventTypes", List.of("grant.created", "grant.exploded")))
                .post("/api/v1/webhooks").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors[0].field", equalTo("eventTypes[1]"));
        for (String bad : List.of("ftp://example.com/x", "not a url", "http://", "/relative", "http://u:p@example.com/")) {
            asAdmin().body(Map.of("url", bad)).post("/api/v1/webhooks").then().statusCode(400)
                    .body("code", equalTo("validation_failed")).body("errors[0].field", equalTo("url"));
        }
        asAdmin().body(Map.of("eventTypes", List.of())).post("/api/v1/webhooks").then().statusCode(400)
                .body("code", equalTo("validation_failed"));

        String id = asAdmin().body(Map.of("url", URL)).post("/api/v1/webhooks").then().statusCode(201)
                .extract().jsonPath().getString("id");
        asAdmin().body(Map.of("secret", "whsec_AAAA")).patch("/api/v1/webhooks/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("secret"));
        asAdmin().body(Map.of("url", "gopher://x")).patch("/api/v1/webhooks/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("url"));
        asAdmin().body(Map.of("eventTypes", List.of("nope"))).patch("/api/v1/webhooks/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("eventTypes[0]"));
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?status=lost").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        asAdmin().get("/api/v1/webhooks/" + id + "/deliveries?limit=501").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asAdmin().body(Map.of()).post("/api/v1/webhooks/" + id + "/replay").then().statusCode(400);
        asAdmin().get("/api/v1/webhooks/" + id).then().statusCode(200).body("url", equalTo(URL));
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    @Test
    void unknownEndpointsAndDeliveriesAre404() {
        asAdmin().get("/api/v1/webhooks/nope/deliveries").then().statusCode(404).body("code", equalTo("webhook_not_found"));
        asAdmin().post("/api/v1/webhooks/nope/rotate-secret").then().statusCode(404)
                .body("code", equalTo("webhook_not_found"));
        asAdmin().body(Map.of("active", true)).patch("/api/v1/webhooks/nope").then().statusCode(404);
        asAdmin().body(Map.of("since", "2026-01-01T00:00:00Z")).post("/api/v1/webhooks/nope/replay").then()
                .statusCode(404).body("code", equalTo("webhook_not_found"));
        String id = asAdmin().body(Map.of("url", URL)).post("/api/v1/webhooks").then().statusCode(201)
                .extract().jsonPath().getString("id");
        asAdmin().post("/api/v1/webhooks/" + id + "/deliveries/00000000-0000-0000-0000-000000000000/retry").then()
                .statusCode(404).body("code", equalTo("delivery_not_found"));
        asAdmin().post("/api/v1/webhooks/" + id + "/deliveries/not-a-uuid/retry").then()
                .statusCode(404).body("code", equalTo("delivery_not_found"));
        asAdmin().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    @Test
    void webhooksAreForAdmins() {
        as(TestTokens.service()).body(Map.of("url", URL)).post("/api/v1/webhooks").then().statusCode(403)
                .body("code", equalTo("forbidden"));
        as(TestTokens.user("u")).get("/api/v1/webhooks").then().statusCode(403);
    }
}
