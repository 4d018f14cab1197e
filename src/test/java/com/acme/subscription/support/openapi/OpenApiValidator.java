package com.acme.subscription.support.openapi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.acme.subscription.support.openapi.OpenApiDocument.Located;
import com.acme.subscription.support.openapi.OpenApiDocument.Operation;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks one {@link Exchange} against an {@link OpenApiDocument}.
 * <p>
 * Answers must be described exactly: the status (or {@code default}), the media type, the JSON body (JSON Schema
 * 2020-12), the headers {@code Idempotent-Replayed}, {@code Retry-After} and {@code ETag} when sent. Requests are
 * checked too, but tests send invalid ones on purpose: a request the document rejects is a violation only when the
 * service accepted it (2xx), because then the document is stricter than the service.
 */
public final class OpenApiValidator {

    /** Response headers a client acts on: when the service sends one, the response must document it. */
    static final List<String> CHECKED_RESPONSE_HEADERS = List.of("Idempotent-Replayed", "Retry-After", "ETag");
    /** OpenAPI ignores header parameters of these names (they are described elsewhere). */
    private static final Set<String> IGNORED_REQUEST_HEADERS = Set.of("accept", "content-type", "authorization");

    private final OpenApiDocument document;

    public OpenApiValidator(OpenApiDocument document) {
        this.document = document;
    }

    public OpenApiDocument document() {
        return document;
    }

    /** The operation the exchange is for; empty where the document does not describe the path and method. */
    public Optional<Operation> operation(Exchange exchange) {
        return document.operation(exchange.method(), rawPath(exchange));
    }

    /** Every difference between the exchange and the document (empty when the document describes it). */
    public List<Violation> validate(Exchange exchange) {
        Optional<Operation> found = operation(exchange);
        if (found.isEmpty()) {
            return List.of();
        }
        Operation operation = found.get();
        List<Violation> violations = new ArrayList<>();
        validateResponse(operation, exchange, violations);
        if (exchange.status() >= 200 && exchange.status() < 300) {
            List<String> rejected = new ArrayList<>();
            validateRequest(operation, exchange, rejected);
            for (String reason : rejected) {
                violations.add(new Violation(operation.label(), exchange.status(), "request",
                        "the document rejects this request but the service accepted it: " + reason));
            }
        }
        return violations;
    }

    private static String rawPath(Exchange exchange) {
        String path = exchange.uri().getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    // ---------------------------------------------------------------- response

    private void validateResponse(Operation operation, Exchange exchange, List<Violation> violations) {
        String label = operation.label();
        int status = exchange.status();
        Located responses = operation.node().at("responses");
        Located entry = responseEntry(responses, status);
        if (entry == null && status == 500) {
            // A 500 is a bug, never part of the API: the document rightly leaves it out, and a test that
            // provokes one on purpose (an injected database failure) asserts it itself.
            return;
        }
        if (entry == null) {
            violations.add(new Violation(label, status, "status",
                    "status " + status + " not documented (documented: " + keys(responses.node()) + ")"));
            return;
        }
        entry = document.resolve(entry);
        validateResponseHeaders(label, exchange, entry, violations);
        if ("HEAD".equals(exchange.method())) {
            return;
        }
        boolean hasBody = !exchange.responseBody().isEmpty();
        Located content = entry.at("content");
        if (status == 204 || status == 304) {
            if (hasBody) {
                violations.add(new Violation(label, status, "body", "a " + status + " answer must have no body"));
            }
            return;
        }
        String mediaType = Exchange.mediaType(exchange.responseHeader("Content-Type"));
        if (!hasBody) {
            if (content.exists() && content.node().size() > 0) {
                violations.add(new Violation(label, status, "body",
                        "no body, but the document promises " + keys(content.node())));
            }
            return;
        }
        Located media = mediaTypeEntry(content, mediaType);
        if (media == null) {
            violations.add(new Violation(label, status, "content-type", "a body of media type " + mediaType
                    + " is not documented (documented: " + (content.exists() ? keys(content.node()) : "no content")
                    + ")"));
            return;
        }
        Located schema = media.at("schema");
        if (!schema.exists() || !isJson(mediaType)) {
            return;
        }
        JsonNode body;
        try {
            body = OpenApiDocument.JSON.readTree(exchange.responseBody());
        } catch (JacksonException e) {
            violations.add(new Violation(label, status, "body", mediaType + " body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        for (Error error : validate(document.answerSchema(schema.pointer()), body)) {
            violations.add(new Violation(label, status, "body" + error.getInstanceLocation(), describe(error)));
        }
    }

    private Located responseEntry(Located responses, int status) {
        if (!responses.exists()) {
            return null;
        }
        String exact = Integer.toString(status);
        String range = (status / 100) + "XX";
        for (String key : List.of(exact, range, range.toLowerCase(Locale.ROOT), "default")) {
            if (responses.node().has(key)) {
                return responses.at(key);
            }
        }
        return null;
    }

    private void validateResponseHeaders(String label, Exchange exchange, Located entry, List<Violation> violations) {
        Map<String, Located> documented = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Located headers = entry.at("headers");
        if (headers.exists()) {
            for (String name : headers.node().propertyNames()) {
                documented.put(name, document.resolve(headers.at(name)));
            }
        }
        for (String name : CHECKED_RESPONSE_HEADERS) {
            String value = exchange.responseHeader(name);
            if (value == null) {
                continue;
            }
            Located header = documented.get(name);
            if (header == null) {
                violations.add(new Violation(label, exchange.status(), "header " + name,
                        "the service sent " + name + ": " + value + " but the response does not document the header"));
                continue;
            }
            for (String problem : checkValue(header.at("schema"), List.of(value))) {
                violations.add(new Violation(label, exchange.status(), "header " + name, problem));
            }
        }
        documented.forEach((name, header) -> {
            if (header.node().path("required").asBoolean(false) && exchange.responseHeader(name) == null) {
                violations.add(new Violation(label, exchange.status(), "header " + name,
                        "the document says the header is required, the service did not send it"));
            }
        });
    }

    // ---------------------------------------------------------------- request

    private void validateRequest(Operation operation, Exchange exchange, List<String> rejected) {
        Map<String, List<String>> query = query(exchange.uri().getRawQuery());
        for (Located parameter : parameters(operation)) {
            String name = parameter.node().path("name").asString("");
            String in = parameter.node().path("in").asString("");
            boolean required = parameter.node().path("required").asBoolean(false);
            List<String> values = switch (in) {
                case "path" -> operation.pathParams().containsKey(name) ? List.of(operation.pathParams().get(name))
                        : List.of();
                case "query" -> query.getOrDefault(name, List.of());
                case "header" -> IGNORED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? null
                        : exchange.requestHeaders().getOrDefault(name, List.of());
                default -> null;
            };
            if (values == null) {
                continue;
            }
            if (values.isEmpty()) {
                if (required) {
                    rejected.add("required " + in + " parameter " + name + " is missing");
                }
                continue;
            }
            for (String problem : checkValue(parameter.at("schema"), values)) {
                rejected.add(in + " parameter " + name + "=" + String.join(",", values) + ": " + problem);
            }
        }
        validateRequestBody(operation, exchange, rejected);
    }

    /** The path item's parameters, overridden by the operation's of the same name and location. */
    private List<Located> parameters(Operation operation) {
        Map<String, Located> byKey = new LinkedHashMap<>();
        Located item = document.resolve(document.located("/paths/" + OpenApiDocument.escape(operation.template())));
        for (Located list : List.of(item.at("parameters"), operation.node().at("parameters"))) {
            if (!list.exists()) {
                continue;
            }
            for (int i = 0; i < list.node().size(); i++) {
                Located parameter = document.resolve(list.at(Integer.toString(i)));
                byKey.put(parameter.node().path("in").asString("") + ":" + parameter.node().path("name").asString(""),
                        parameter);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private void validateRequestBody(Operation operation, Exchange exchange, List<String> rejected) {
        Located requestBody = document.resolve(operation.node().at("requestBody"));
        String body = exchange.requestBody();
        boolean hasBody = body != null && !body.isEmpty();
        if (!requestBody.exists()) {
            return;
        }
        if (!hasBody) {
            if (requestBody.node().path("required").asBoolean(false)) {
                rejected.add("the request body is required, the request had none");
            }
            return;
        }
        String mediaType = Exchange.mediaType(exchange.requestHeader("Content-Type"));
        Located content = requestBody.at("content");
        Located media = mediaTypeEntry(content, mediaType);
        if (media == null) {
            rejected.add("a request body of media type " + mediaType + " is not documented (documented: "
                    + (content.exists() ? keys(content.node()) : "none") + ")");
            return;
        }
        Located schema = media.at("schema");
        if (!schema.exists() || !isJson(mediaType)) {
            return;
        }
        JsonNode json;
        try {
            json = OpenApiDocument.JSON.readTree(body);
        } catch (JacksonException e) {
            rejected.add("the request body is not JSON");
            return;
        }
        for (Error error : validate(schema.pointer(), json)) {
            rejected.add("request body" + error.getInstanceLocation() + ": " + describe(error));
        }
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    // ---------------------------------------------------------------- schemas

    private List<Error> validate(String pointer, JsonNode instance) {
        return validate(document.schema(pointer), instance);
    }

    private static List<Error> validate(Schema schema, JsonNode instance) {
        return schema.validate(instance,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    }

    /**
     * Checks parameter or header values (text on the wire) against their schema: each value is read as the type
     * the schema names (integer, number, boolean), several values as an array where the schema is one.
     */
    private List<String> checkValue(Located schema, List<String> values) {
        if (!schema.exists()) {
            return List.of();
        }
        Located resolvedSchema = document.resolve(schema);
        Set<String> types = types(resolvedSchema.node());
        JsonNode instance;
        if (types.contains("array")) {
            Set<String> itemTypes = types(document.resolve(resolvedSchema.at("items")).node());
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (String value : values) {
                for (String part : values.size() == 1 ? value.split(",", -1) : new String[] { value }) {
                    array.add(typed(part, itemTypes));
                }
            }
            instance = array;
        } else {
            instance = typed(values.get(0), types);
        }
        List<String> problems = new ArrayList<>();
        for (Error error : validate(schema.pointer(), instance)) {
            problems.add(describe(error));
        }
        return problems;
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new HashSet<>();
        JsonNode type = schema == null ? null : schema.get("type");
        if (type != null && type.isString()) {
            types.add(type.asString());
        } else if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asString()));
        }
        return types;
    }

    private static JsonNode typed(String value, Set<String> types) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (types.contains("integer") && value.matches("-?\\d+")) {
            return nodes.numberNode(new BigInteger(value));
        }
        if (types.contains("number") && value.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return nodes.numberNode(new BigDecimal(value));
        }
        if (types.contains("boolean") && (value.equals("true") || value.equals("false"))) {
            return nodes.booleanNode(Boolean.parseBoolean(value));
        }
        return nodes.stringNode(value);
    }

    // ---------------------------------------------------------------- helpers

    /** The media type entry for this type: exact, then "type/*", then "*&#47;*". */
    private static Located mediaTypeEntry(Located content, String mediaType) {
        if (!content.exists() || mediaType == null) {
            return null;
        }
        for (String name : content.node().propertyNames()) {
            if (name.toLowerCase(Locale.ROOT).equals(mediaType)) {
                return content.at(name);
            }
        }
        String wildcard = mediaType.substring(0, mediaType.indexOf('/') + 1) + "*";
        for (String key : List.of(wildcard, "*/*")) {
            if (content.node().has(key)) {
                return content.at(key);
            }
        }
        return null;
    }

    private static boolean isJson(String mediaType) {
        return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
    }

    private static String keys(JsonNode node) {
        return node == null ? "[]" : node.propertyNames().toString();
    }

    /** "string expected, integer found (schema #/components/schemas/Tier/properties/id/type)". */
    private static String describe(Error error) {
        String schema = error.getSchemaLocation() == null ? "" : error.getSchemaLocation().toString();
        int hash = schema.indexOf('#');
        return error.getMessage() + (hash < 0 ? "" : " (schema " + URLDecoder.decode(schema.substring(hash),
                StandardCharsets.UTF_8) + ")");
    }
}
