package com.acme.subscription.event;

import static com.acme.subscription.support.ApiTest.management;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.openapi.OpenApiDocument;

import io.quarkus.test.junit.QuarkusTest;
import tools.jackson.databind.JsonNode;

/**
 * The document lists every event type where a client sends one (a webhook's eventTypes, the type
 * filter of GET /events), so a generated client and a validating gateway know them; an event's own
 * type stays open.
 */
@QuarkusTest
class EventTypesInDocumentTest {

    @Test
    void everyEventTypeIsListedWhereAClientSendsOne() {
        JsonNode root = OpenApiDocument.parse(management().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString()).root();
        List<String> types = Arrays.stream(EventType.values()).map(EventType::type).toList();
        for (String schema : List.of("WebhookInput", "WebhookPatch")) {
            assertEquals(types, strings(root.path("components").path("schemas").path(schema).path("properties")
                    .path("eventTypes").path("items").path("enum")), schema);
        }
        List<String> filter = new ArrayList<>();
        root.path("paths").path("/api/v1/events").path("get").path("parameters").forEach(parameter -> {
            if ("type".equals(parameter.path("name").asString(""))) {
                filter.addAll(strings(parameter.path("schema").path("enum")));
            }
        });
        assertEquals(types, filter, "GET /events?type");
        assertEquals(List.of(), strings(root.path("components").path("schemas").path("Event").path("properties")
                .path("type").path("enum")), "an event's own type stays open");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
