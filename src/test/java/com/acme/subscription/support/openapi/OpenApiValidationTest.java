package com.acme.subscription.support.openapi;

import static com.acme.subscription.support.ApiTest.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validating filter is active for every test, and it fails a request whose answer the document does not
 * describe: shown against copies of the served document with one deliberate lie each.
 */
@QuarkusTest
class OpenApiValidationTest {

    private static final String TIERS = "/paths/~1api~1v1~1tiers/get";

    @Test
    void everyRequestOfEveryTestIsCheckedAgainstTheServedDocument() {
        assertTrue(RestAssured.filters().stream().anyMatch(f -> f instanceof OpenApiValidationFilter),
                "the extension installed the filter into the REST Assured this test uses: " + RestAssured.filters());
        long before = OpenApiValidation.validated();
        try {
            asAdmin().get("/api/v1/tiers");
        } catch (AssertionError e) {
            // The served document may still lie about this answer (fail mode): OpenApiDocumentTest and the
            // report list that; here only the check itself counts.
            assertTrue(e.getMessage().startsWith("The OpenAPI document does not describe this exchange"),
                    e.getMessage());
        }
        assertEquals(before + 1, OpenApiValidation.validated());
        // Management paths are not API operations: not checked.
        given().port(com.acme.subscription.support.ApiTest.MANAGEMENT_PORT).get("/q/health/live");
        assertEquals(before + 1, OpenApiValidation.validated());
    }

    @Test
    void aBodyTheSchemaDoesNotDescribeFailsTheRequest() {
        // The list of tiers is an array; this document says it is an object.
        OpenApiValidationFilter lying = filter(doc -> schemaOf(doc, TIERS, "200").removeAll().put("type", "object"));
        AssertionError error = assertThrows(AssertionError.class, () -> admin().filter(lying).get("/api/v1/tiers"));
        assertTrue(error.getMessage().contains("GET /api/v1/tiers -> 200"), error.getMessage());
        assertTrue(error.getMessage().contains("at body: array found, object expected"), error.getMessage());

        OpenApiValidationFilter truthful = filter(doc -> schemaOf(doc, TIERS, "200").removeAll().put("type", "array"));
        admin().filter(truthful).get("/api/v1/tiers").then().statusCode(200);
    }

    /** An answer may hold no field its schema does not name: a generated client could not read it. */
    @Test
    void aFieldTheAnswersSchemaDoesNotNameFailsTheRequest() {
        OpenApiValidationFilter lying = filter(doc -> {
            ObjectNode tier = (ObjectNode) doc.at("/components/schemas/Tier");
            ((ObjectNode) tier.get("properties")).remove("name");
            if (tier.get("required") instanceof tools.jackson.databind.node.ArrayNode required) {
                for (int i = required.size() - 1; i >= 0; i--) {
                    if ("name".equals(required.get(i).asString())) {
                        required.remove(i);
                    }
                }
            }
        });
        AssertionError error = assertThrows(AssertionError.class, () -> admin().filter(lying).get("/api/v1/tiers"));
        assertTrue(error.getMessage().contains("GET /api/v1/tiers -> 200"), error.getMessage());
        assertTrue(error.getMessage().contains("'name'"), error.getMessage());
    }

    @Test
    void anUndocumentedStatusFailsTheRequest() {
        OpenApiValidationFilter lying = filter(doc -> {
            ObjectNode responses = (ObjectNode) doc.at(TIERS + "/responses");
            responses.remove("200");
            responses.remove("default");
        });
        AssertionError error = assertThrows(AssertionError.class, () -> admin().filter(lying).get("/api/v1/tiers"));
        assertTrue(error.getMessage().contains("at status: status 200 not documented"), error.getMessage());
    }

    @Test
    void anUndocumentedMediaTypeFailsTheRequest() {
        OpenApiValidationFilter lying = filter(doc -> {
            ObjectNode ok = (ObjectNode) doc.at(TIERS + "/responses/200");
            ok.putObject("content").putObject("text/plain").putObject("schema").put("type", "string");
        });
        AssertionError error = assertThrows(AssertionError.class, () -> admin().filter(lying).get("/api/v1/tiers"));
        assertTrue(error.getMessage().contains("a body of media type application/json is not documented"),
                error.getMessage());
    }

    @Test
    void aRequestTheDocumentForbidsButTheServiceAcceptsFails() {
        OpenApiValidationFilter stricter = filter(doc -> {
            ObjectNode get = (ObjectNode) doc.at(TIERS);
            ObjectNode parameter = (get.has("parameters") ? (tools.jackson.databind.node.ArrayNode) get.get(
                    "parameters") : get.putArray("parameters")).addObject();
            parameter.put("name", "mustHave").put("in", "query").put("required", true).putObject("schema")
                    .put("type", "integer");
            schemaOf(doc, TIERS, "200").put("type", "array"); // the body is not what this test is about
        });
        AssertionError error = assertThrows(AssertionError.class,
                () -> admin().filter(stricter).get("/api/v1/tiers"));
        assertTrue(error.getMessage().contains("the document rejects this request but the service accepted it: "
                + "required query parameter mustHave is missing"), error.getMessage());

        AssertionError typed = assertThrows(AssertionError.class,
                () -> admin().filter(stricter).queryParam("mustHave", "x").get("/api/v1/tiers"));
        assertTrue(typed.getMessage().contains("query parameter mustHave=x: string found, integer expected"),
                typed.getMessage());
        admin().filter(stricter).queryParam("mustHave", "7").get("/api/v1/tiers").then().statusCode(200);
    }

    @Test
    void aHeaderTheAnswerDoesNotDocumentFailsTheRequest() {
        String id = "p-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("id", id, "email", id + "@example.com");
        given().noFiltersOfType(OpenApiValidationFilter.class).auth().oauth2(TestTokens.service())
                .contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/v1/profiles")
                .then().statusCode(201);

        String path = "/paths/~1api~1v1~1profiles/post/responses/201";
        List<Violation> silent = new ArrayList<>();
        OpenApiValidationFilter withoutHeader = filter(doc -> ((ObjectNode) doc.at(path)).remove("headers"),
                silent);
        given().noFiltersOfType(OpenApiValidationFilter.class).filter(withoutHeader).auth()
                .oauth2(TestTokens.service()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/profiles").then().statusCode(201).header("Idempotent-Replayed", "true");
        assertTrue(silent.stream().anyMatch(v -> v.where().equals("header Idempotent-Replayed")
                && v.message().contains("does not document the header")), silent.toString());

        List<Violation> documented = new ArrayList<>();
        OpenApiValidationFilter withHeader = filter(doc -> ((ObjectNode) doc.at(path)).putObject("headers")
                .putObject("Idempotent-Replayed").putObject("schema").put("type", "string"), documented);
        given().noFiltersOfType(OpenApiValidationFilter.class).filter(withHeader).auth()
                .oauth2(TestTokens.service()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/profiles").then().statusCode(201);
        assertTrue(documented.stream().noneMatch(v -> v.where().startsWith("header")), documented.toString());
    }

    /** A request as the admin that only the given filter checks (not the global one). */
    private static RequestSpecification admin() {
        return given().noFiltersOfType(OpenApiValidationFilter.class).auth().oauth2(TestTokens.admin())
                .accept(ContentType.JSON);
    }

    /** A filter that fails like the global one, but checks against the served document changed by {@code lie}. */
    private static OpenApiValidationFilter filter(Consumer<ObjectNode> lie) {
        OpenApiValidator validator = validator(lie);
        return new OpenApiValidationFilter(() -> validator, (exchange, violations) -> {
            if (!violations.isEmpty()) {
                throw new AssertionError(OpenApiValidation.message(exchange, violations));
            }
        });
    }

    /** A filter that collects the violations instead of failing. */
    private static OpenApiValidationFilter filter(Consumer<ObjectNode> lie, List<Violation> into) {
        OpenApiValidator validator = validator(lie);
        return new OpenApiValidationFilter(() -> validator, (exchange, violations) -> into.addAll(violations));
    }

    private static OpenApiValidator validator(Consumer<ObjectNode> lie) {
        ObjectNode doc = (ObjectNode) OpenApiDocument.JSON.readTree(OpenApiValidation.fetchDocument());
        lie.accept(doc);
        return new OpenApiValidator(OpenApiDocument.parse(OpenApiDocument.JSON.writeValueAsString(doc)));
    }

    /** The (inline, created where missing) application/json schema of a response. */
    private static ObjectNode schemaOf(ObjectNode doc, String operation, String status) {
        JsonNode responses = doc.at(operation + "/responses");
        ObjectNode response = ((ObjectNode) responses).has(status) ? (ObjectNode) responses.get(status)
                : ((ObjectNode) responses).putObject(status).put("description", "OK");
        ObjectNode content = response.has("content") ? (ObjectNode) response.get("content")
                : response.putObject("content");
        ObjectNode media = content.has("application/json") ? (ObjectNode) content.get("application/json")
                : content.putObject("application/json");
        return media.putObject("schema");
    }
}
