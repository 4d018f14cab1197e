package com.acme.subscription.common;

import static com.acme.subscription.support.ApiTest.management;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.support.openapi.OpenApiDocument;
import com.acme.subscription.support.openapi.OpenApiDocument.Located;

import io.quarkus.test.junit.QuarkusTest;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document follows the rules clients and gateways rely on: stable operation ids, a body for
 * every success and a shared Problem for every error, nullable and anchored schemas, no framework types, and the
 * idempotency headers where a key is taken. (What the answers really look like is checked by the validating
 * filter on every request of every test; this test checks the document's own shape.)
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final List<String> NAMED_OPERATIONS = List.of("checkEntitlement", "listEntitlements",
            "consumeUsage", "releaseUsage", "setUsage", "registerProfile", "redeemCoupon", "createGrant",
            "revokeGrant", "listGrants");
    private static final List<String> IDEMPOTENT_OPERATIONS = List.of("registerProfile", "consumeUsage",
            "releaseUsage", "redeemCoupon", "createGrant");
    private static final Set<String> FRAMEWORK_SCHEMAS = Set.of("JsonNode", "ObjectNode", "ArrayNode",
            "JsonNodeType", "Instant");
    /** Property names Jackson derives from JsonNode's and Instant's getters. */
    private static final Set<String> FRAMEWORK_PROPERTIES = Set.of("valueNode", "containerNode", "missingNode",
            "nodeType", "pojo", "textual", "floatingPointNumber", "integralNumber", "bigDecimal", "bigInteger",
            "embeddedValue", "epochSecond", "nano");

    private OpenApiDocument document;

    private record Op(String method, String path, Located node) {

        String id() {
            return node.node().path("operationId").asString("");
        }

        String label() {
            return method.toUpperCase() + " " + path + (id().isEmpty() ? "" : " (" + id() + ")");
        }

        boolean isApi() {
            return path.startsWith("/api/v1/");
        }
    }

    @BeforeEach
    void readDocument() {
        String json = management().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        document = OpenApiDocument.parse(json);
    }

    private List<Op> operations() {
        List<Op> operations = new ArrayList<>();
        Located paths = document.located("/paths");
        for (String path : paths.node().propertyNames()) {
            Located item = document.resolve(paths.at(path));
            for (String method : item.node().propertyNames()) {
                if (METHODS.contains(method)) {
                    operations.add(new Op(method, path, item.at(method)));
                }
            }
        }
        assertTrue(operations.size() > 10, "the document lists the API's operations");
        return operations;
    }

    /** Every (status, resolved response) of an operation. */
    private void forEachResponse(Op op, BiConsumer<String, Located> action) {
        Located responses = op.node().at("responses");
        if (responses.exists()) {
            for (String status : responses.node().propertyNames()) {
                action.accept(status, document.resolve(responses.at(status)));
            }
        }
    }

    private static void assertNone(String rule, List<String> offenders) {
        assertTrue(offenders.isEmpty(), rule + " (" + offenders.size() + " offenders):\n  "
                + String.join("\n  ", offenders));
    }

    @Test
    void everyOperationHasAUniqueLowerCamelCaseOperationId() {
        List<String> offenders = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Op op : operations()) {
            String id = op.id();
            if (id.isEmpty()) {
                offenders.add(op.label() + ": no operationId");
            } else if (!id.matches("[a-z][a-zA-Z0-9]*")) {
                offenders.add(op.label() + ": not lowerCamelCase");
            } else if (seen.containsKey(id)) {
                offenders.add(op.label() + ": also the id of " + seen.get(id));
            } else {
                seen.put(id, op.method().toUpperCase() + " " + op.path());
            }
        }
        assertNone("every operation has a unique lowerCamelCase operationId", offenders);
    }

    @Test
    void theOperationsClientsCallByNameExist() {
        Set<String> ids = new TreeSet<>();
        operations().forEach(op -> ids.add(op.id()));
        assertNone("operationIds clients are generated with", NAMED_OPERATIONS.stream()
                .filter(id -> !ids.contains(id)).map(id -> id + " is missing").toList());
    }

    @Test
    void everySuccessHasABodySchemaAndEmptyAnswersHaveNone() {
        List<String> offenders = new ArrayList<>();
        for (Op op : operations()) {
            forEachResponse(op, (status, response) -> {
                Located content = response.at("content");
                if (status.equals("200") || status.equals("201")) {
                    if (!content.exists() || content.node().isEmpty()) {
                        offenders.add(op.label() + " " + status + ": no content");
                        return;
                    }
                    for (String mediaType : content.node().propertyNames()) {
                        JsonNode schema = content.at(mediaType, "schema").node();
                        if (schema == null || schema.isEmpty()) {
                            offenders.add(op.label() + " " + status + " " + mediaType + ": no schema");
                        } else if (mediaType.contains("json") && !schema.has("$ref") && !schema.path("items").has("$ref")) {
                            // a named schema (or a list of one), which a generated client makes a type of
                            offenders.add(op.label() + " " + status + " " + mediaType + ": an inline schema");
                        }
                    }
                } else if ((status.equals("204") || status.equals("304")) && content.exists()) {
                    offenders.add(op.label() + " " + status + ": documents a body " + content.node().propertyNames());
                }
            });
        }
        assertNone("200/201 have a named body schema (or a list of one), 204/304 none", offenders);
    }

    @Test
    void everyApiErrorIsAProblem() {
        List<String> offenders = new ArrayList<>();
        for (Op op : operations()) {
            if (!op.isApi()) {
                continue; // OFREP answers errors with its own body
            }
            forEachResponse(op, (status, response) -> {
                if (!status.startsWith("4") && !status.startsWith("5")) {
                    return;
                }
                Located schema = response.at("content", "application/problem+json", "schema");
                if (!schema.exists()) {
                    offenders.add(op.label() + " " + status + ": no application/problem+json content");
                } else if (!PROBLEM.equals(schema.node().path("$ref").asString(""))) {
                    offenders.add(op.label() + " " + status + ": schema is not " + PROBLEM);
                }
            });
        }
        assertNone("every 4xx/5xx of /api/v1 is application/problem+json with the shared Problem", offenders);
    }

    @Test
    void theProblemSchemaHasEveryField() {
        Located problem = document.resolve(document.located("/components/schemas/Problem"));
        assertTrue(problem.exists(), "components.schemas.Problem exists");
        List<String> offenders = new ArrayList<>();
        for (String field : List.of("type", "title", "status", "detail", "instance", "code", "errors")) {
            if (!problem.at("properties", field).exists()) {
                offenders.add("Problem." + field + " is missing");
            }
        }
        Located errors = document.resolve(problem.at("properties", "errors"));
        if (errors.exists()) {
            if (!errors.node().path("type").toString().contains("array")) {
                offenders.add("Problem.errors is not an array");
            }
            Located item = document.resolve(errors.at("items"));
            for (String field : List.of("field", "message")) {
                if (!item.at("properties", field).exists()) {
                    offenders.add("Problem.errors[]." + field + " is missing");
                }
            }
        }
        assertNone("Problem has type, title, status, detail, instance, code, errors[{field, message}]", offenders);
    }

    @Test
    void everyApiOperationDocuments401And503() {
        List<String> offenders = new ArrayList<>();
        for (Op op : operations()) {
            if (!op.isApi()) {
                continue;
            }
            // an open operation has no token to refuse; all but the dev-mode token endpoint use the database
            Located security = op.node().at("security");
            boolean open = !security.exists() || security.node().isEmpty();
            List<String> statuses = !open ? List.of("401", "503")
                    : op.id().equals("createDevToken") ? List.of() : List.of("503");
            for (String status : statuses) {
                if (!op.node().at("responses", status).exists()) {
                    offenders.add(op.label() + ": no " + status);
                }
            }
        }
        assertNone("every /api/v1 operation documents 401 (no token) and 503 (database down)", offenders);
    }

    @Test
    void redeemingACouponDocuments429WithRetryAfter() {
        Op redeem = operations().stream().filter(op -> op.id().equals("redeemCoupon")).findFirst().orElse(null);
        assertTrue(redeem != null, "redeemCoupon exists");
        Located tooMany = document.resolve(redeem.node().at("responses", "429"));
        assertTrue(tooMany.exists(), "redeemCoupon documents 429");
        assertTrue(header(tooMany, "Retry-After") != null, "redeemCoupon's 429 documents the Retry-After header");
    }

    @Test
    void operationsTakingAnIdempotencyKeyDocumentBothHeaders() {
        List<String> offenders = new ArrayList<>();
        Map<String, Op> byId = new LinkedHashMap<>();
        operations().forEach(op -> byId.put(op.id(), op));
        for (String id : IDEMPOTENT_OPERATIONS) {
            Op op = byId.get(id);
            if (op == null) {
                offenders.add(id + " is missing");
                continue;
            }
            boolean keyParameter = false;
            Located parameters = op.node().at("parameters");
            for (int i = 0; parameters.exists() && i < parameters.node().size(); i++) {
                JsonNode parameter = document.resolve(parameters.at(Integer.toString(i))).node();
                keyParameter |= "header".equals(parameter.path("in").asString(""))
                        && "Idempotency-Key".equalsIgnoreCase(parameter.path("name").asString(""));
            }
            if (!keyParameter) {
                offenders.add(op.label() + ": no Idempotency-Key header parameter");
            }
            List<String> successes = new ArrayList<>();
            forEachResponse(op, (status, response) -> {
                if (status.startsWith("2")) {
                    successes.add(status);
                    if (header(response, "Idempotent-Replayed") == null) {
                        offenders.add(op.label() + " " + status + ": no Idempotent-Replayed header");
                    }
                }
            });
            if (successes.isEmpty()) {
                offenders.add(op.label() + ": no 2xx response");
            }
        }
        assertNone("Idempotency-Key is documented on the request, Idempotent-Replayed on every success", offenders);
    }

    /** An answer documents Idempotent-Replayed only where the operation takes an Idempotency-Key. */
    @Test
    void onlyOperationsTakingAKeyDocumentTheReplayHeader() {
        List<String> offenders = new ArrayList<>();
        for (Op op : operations()) {
            forEachResponse(op, (status, response) -> {
                if (header(response, "Idempotent-Replayed") != null && !IDEMPOTENT_OPERATIONS.contains(op.id())) {
                    offenders.add(op.label() + " " + status);
                }
            });
        }
        assertNone("Idempotent-Replayed is documented on operations that take no Idempotency-Key", offenders);
    }

    /**
     * Every operation documents 406 (an Accept header without JSON), and lists its answers in the order
     * of their status, successes first: generated clients choose the media type they accept from the
     * first answers listed.
     */
    @Test
    void everyOperationDocuments406AndListsItsAnswersInStatusOrder() {
        List<String> offenders = new ArrayList<>();
        for (Op op : operations()) {
            if (!op.node().at("responses", "406").exists()) {
                offenders.add(op.label() + ": no 406");
            }
            List<String> statuses = new ArrayList<>();
            op.node().at("responses").node().propertyNames().forEach(statuses::add);
            List<String> sorted = statuses.stream().sorted().toList();
            if (!statuses.equals(sorted) || !statuses.get(0).startsWith("2")) {
                offenders.add(op.label() + ": " + statuses);
            }
        }
        assertNone("every operation documents 406 and lists its answers by status, a success first", offenders);
    }

    /**
     * What generators warn about: a schema of the components that nothing uses, and a reference with a
     * type beside it (one of the two is dropped).
     */
    @Test
    void everySchemaIsUsedAndEveryReferenceStandsAlone() {
        String json = document.root().toString();
        List<String> offenders = new ArrayList<>();
        for (String name : document.located("/components/schemas").node().propertyNames()) {
            if (!json.contains("\"#/components/schemas/" + name + "\"")) {
                offenders.add("unused: " + name);
            }
        }
        referencesWithAType(document.root(), "", offenders);
        assertNone("every component schema is used; no $ref has a type beside it", offenders);
    }

    private static void referencesWithAType(JsonNode node, String pointer, List<String> offenders) {
        if (node.isObject()) {
            if (node.has("$ref") && node.has("type")) {
                offenders.add("$ref with a type: " + pointer);
            }
            for (String name : node.propertyNames()) {
                referencesWithAType(node.get(name), pointer + "/" + name, offenders);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                referencesWithAType(node.get(i), pointer + "/" + i, offenders);
            }
        }
    }

    @Test
    void noFrameworkTypeLeaksIntoTheSchemas() {
        List<String> offenders = new ArrayList<>();
        Located schemas = document.located("/components/schemas");
        if (schemas.exists()) {
            for (String name : schemas.node().propertyNames()) {
                if (FRAMEWORK_SCHEMAS.contains(name)) {
                    offenders.add("components.schemas." + name);
                }
            }
        }
        walk(document.root(), "", (pointer, node) -> {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                for (String property : properties.propertyNames()) {
                    if (FRAMEWORK_PROPERTIES.contains(property)) {
                        offenders.add(pointer + "/properties/" + property);
                    }
                }
            }
        });
        assertNone("no JsonNode/ObjectNode/Instant shapes or Jackson getter names", offenders);
    }

    @Test
    void everyPatternIsAnchored() {
        List<String> offenders = new ArrayList<>();
        walk(document.root(), "", (pointer, node) -> {
            JsonNode pattern = node.get("pattern");
            if (pattern != null && pattern.isString()) {
                String p = pattern.asString();
                if (!p.startsWith("^") || !p.endsWith("$")) {
                    offenders.add(pointer + "/pattern: " + p);
                }
            }
        });
        assertNone("every pattern starts with ^ and ends with $", offenders);
    }

    @Test
    void everyUsedTagHasADescription() {
        Map<String, String> described = new LinkedHashMap<>();
        for (JsonNode tag : document.root().path("tags")) {
            described.put(tag.path("name").asString(""), tag.path("description").asString(""));
        }
        Set<String> offenders = new TreeSet<>();
        for (Op op : operations()) {
            for (JsonNode tag : op.node().node().path("tags")) {
                if (described.getOrDefault(tag.asString(), "").isBlank()) {
                    offenders.add(tag.asString());
                }
            }
        }
        assertNone("every tag used by an operation is described in the document's tags",
                new ArrayList<>(offenders));
    }

    @Test
    void theDocumentNamesItsLicenceAndServers() {
        assertTrue(!document.root().path("info").path("license").path("name").asString("").isBlank(),
                "info.license.name is set");
        // the API port the service listens on, not a port fixed when it was built
        assertEquals("http://localhost:" + io.restassured.RestAssured.port,
                document.root().path("servers").path(0).path("url").asString(""), "servers is this service's API port");
        assertEquals("3.1", document.root().path("openapi").asString("").substring(0, 3), "OpenAPI 3.1");
    }

    /** Visits every object of the tree with its JSON pointer. */
    private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visitor) {
        if (node.isObject()) {
            visitor.accept(pointer, node);
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                walk(entry.getValue(), pointer + "/" + entry.getKey().replace("~", "~0").replace("/", "~1"),
                        visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private Located header(Located response, String name) {
        Located headers = response.at("headers");
        if (!headers.exists()) {
            return null;
        }
        for (String header : headers.node().propertyNames()) {
            if (header.equalsIgnoreCase(name)) {
                return document.resolve(headers.at(header));
            }
        }
        return null;
    }
}
