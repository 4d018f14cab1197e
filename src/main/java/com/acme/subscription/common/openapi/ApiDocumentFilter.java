package com.acme.subscription.common.openapi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.error.Problem;
import com.acme.subscription.common.idempotency.IdempotentRequest;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The rules every operation of the API follows, written into the published document once
 * instead of being repeated on each resource method:
 * <ul>
 * <li>every error is {@code application/problem+json} with the shared {@code Problem} schema;</li>
 * <li>every operation can answer 401, 403 (a token of the wrong role, or a user token on another
 * profile) and 503 (the database is unreachable); one that reads input (a body or any parameter, a
 * path parameter spelt {@code ..} included) can answer 400, one with a
 * body 413 and 415, and every one 406 (a client that accepts no JSON);</li>
 * <li>an operation that takes an {@code Idempotency-Key} can answer 409 and 422, and its replayed
 * answers carry {@code Idempotent-Replayed}; a 429 carries {@code Retry-After};</li>
 * <li>an answer always has every field (null where there is no value), so every property of a
 * schema that only answers use is required, unless the schema names its required ones itself;</li>
 * <li>Bean Validation patterns match the whole value, JSON Schema patterns anywhere: they are anchored;
 * timestamps are plain {@code date-time} strings, not a Java type; a nullable enum lists null.</li>
 * </ul>
 * The resources document what is particular to them: the success schema and their own {@code code}s.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String INSTANT = "Instant";
    private static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** What each status means wherever it is answered, with the codes of the problem. */
    private static final Map<String, String> GENERAL = Map.of(
            "400", "validation_failed: the request is not valid (errors name the fields)",
            "401", "unauthorized: a valid bearer token for this service is required",
            "403", "forbidden: this token may not do that (a user token acts on its own profile only)",
            "406", "not_acceptable: the Accept header allows none of the media types this operation answers",
            "413", "payload_too_large: the body is larger than the service takes (10 MiB by default)",
            "415", "unsupported_media_type: send application/json",
            "503", "unavailable: the database is unreachable; retry shortly");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Components components = api.getComponents();
        if (api.getPaths() != null) {
            api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
                ownResponses(operation);
                if (path.startsWith(ApiPaths.V1)) {
                    complete(operation, components);
                } else {
                    general(operation.getResponses(), "406");
                    operation.getResponses().getAPIResponse("406").setContent(problemContent());
                }
                inStatusOrder(operation);
            }));
        }
        if (components != null && components.getSchemas() != null) {
            requireAnswerFields(api, components.getSchemas());
            eachSchema(api, ApiDocumentFilter::plainTimestamps);
            eachSchema(api, ApiDocumentFilter::anchorPattern);
            eachSchema(api, ApiDocumentFilter::nullableEnum);
            eachSchema(api, ApiDocumentFilter::referenceAlone);
            components.removeSchema(INSTANT);
        }
    }

    private static void complete(Operation operation, Components components) {
        APIResponses responses = operation.getResponses();
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            general(responses, "401");
            general(responses, "403");
            general(responses, "503");
        }
        if (operation.getRequestBody() != null || readsInput(operation, components)) {
            general(responses, "400");
        }
        if (operation.getRequestBody() != null) {
            general(responses, "413");
            general(responses, "415");
        }
        general(responses, "406");
        if (takesIdempotencyKey(operation, components)) {
            codes(responses, "409", "idempotency_key_in_use: the first request with this key is still running");
            codes(responses, "422", "idempotency_key_reused: this key was used with a different request");
            // every answer that is stored (all but 5xx and 429) can come back as a replay
            responses.getAPIResponses().forEach((status, response) -> {
                if (status.startsWith("2") || (status.startsWith("4") && !status.equals("429"))) {
                    response.addHeader(REPLAYED_HEADER, OASFactory.createHeader()
                            .description("\"true\" when this is the stored answer to an earlier request with the "
                                    + "same Idempotency-Key; nothing was changed again")
                            .schema(OASFactory.createSchema().addType(SchemaType.STRING).enumeration(List.of("true"))));
                }
            });
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                if (response.getContent() == null || response.getContent().getMediaTypes().isEmpty()) {
                    response.setContent(problemContent());
                }
                if (status.equals("429")) {
                    response.addHeader("Retry-After", OASFactory.createHeader()
                            .description("Seconds until another attempt may succeed")
                            .schema(OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(BigDecimal.ONE)));
                }
            }
        });
    }

    /**
     * Each operation gets its own response objects: the scanner shares one object between operations
     * (Quarkus' 401 and 403 of every secured operation), and a header or code added to one operation's
     * answer would be added to all of them.
     */
    private static void ownResponses(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null || responses.getAPIResponses() == null) {
            return;
        }
        Map<String, APIResponse> own = new LinkedHashMap<>();
        responses.getAPIResponses().forEach((status, shared) -> {
            APIResponse copy = OASFactory.createAPIResponse().description(shared.getDescription())
                    .content(shared.getContent()).ref(shared.getRef()).links(shared.getLinks())
                    .extensions(shared.getExtensions());
            if (shared.getHeaders() != null) {
                copy.setHeaders(new LinkedHashMap<>(shared.getHeaders()));
            }
            own.put(status, copy);
        });
        responses.setAPIResponses(own);
    }

    /**
     * Answers in the order of their status: generated clients take the media type they accept from the
     * first answers listed (an OFREP operation listed its 401 first, so a Python client accepted only
     * problem+json and got 406).
     */
    private static void inStatusOrder(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null || responses.getAPIResponses() == null) {
            return;
        }
        Map<String, APIResponse> ordered = new TreeMap<>(Comparator.comparing((String status) -> !status.matches("\\d+"))
                .thenComparing(Comparator.naturalOrder()));
        ordered.putAll(responses.getAPIResponses());
        responses.setAPIResponses(new LinkedHashMap<>(ordered));
    }

    private static void general(APIResponses responses, String status) {
        codes(responses, status, GENERAL.get(status));
    }

    /** Adds a status, or adds the code to the codes a resource already listed for it. */
    private static void codes(APIResponses responses, String status, String text) {
        APIResponse response = responses.getAPIResponse(status);
        if (response == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(text));
            return;
        }
        String code = text.substring(0, text.indexOf(':'));
        String description = response.getDescription();
        if (description == null || description.isBlank() || description.startsWith("Not ")) {
            response.setDescription(text); // replaces Quarkus' generic "Not Authorized" / "Not Allowed"
        } else if (!description.contains(code)) {
            response.setDescription(description + "; " + text);
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE.toString(),
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    /** Any parameter can be refused: a path parameter too, spelt {@code ..} (see HttpLayerRefusals). */
    private static boolean readsInput(Operation operation, Components components) {
        return !parameters(operation, components).isEmpty();
    }

    private static boolean takesIdempotencyKey(Operation operation, Components components) {
        return parameters(operation, components).stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && IdempotentRequest.HEADER.equals(p.getName()));
    }

    private static List<Parameter> parameters(Operation operation, Components components) {
        List<Parameter> resolved = new ArrayList<>();
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if (parameter.getRef() != null && components != null && components.getParameters() != null) {
                    String name = parameter.getRef().substring(parameter.getRef().lastIndexOf('/') + 1);
                    resolved.add(components.getParameters().getOrDefault(name, parameter));
                } else {
                    resolved.add(parameter);
                }
            }
        }
        return resolved;
    }

    /**
     * Jackson writes every field of an answer, null or not: a schema used by answers only (never
     * in a request body) has every property required. A schema that leaves out what it does not
     * use (Problem, OFREP's metadata) names its required properties itself and keeps them.
     */
    private static void requireAnswerFields(OpenAPI api, Map<String, Schema> schemas) {
        Set<String> inRequests = new HashSet<>();
        Set<String> inAnswers = new HashSet<>();
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                operation.getRequestBody().getContent().getMediaTypes().values()
                        .forEach(media -> referenced(media.getSchema(), schemas, inRequests));
            }
            operation.getResponses().getAPIResponses().values().forEach(response -> {
                if (response.getContent() != null) {
                    response.getContent().getMediaTypes().values()
                            .forEach(media -> referenced(media.getSchema(), schemas, inAnswers));
                }
            });
        }));
        inAnswers.removeAll(inRequests);
        for (String name : inAnswers) {
            Schema schema = schemas.get(name);
            boolean namesItsOwn = schema != null && schema.getRequired() != null && !schema.getRequired().isEmpty();
            if (schema != null && !namesItsOwn && schema.getProperties() != null && !schema.getProperties().isEmpty()) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        }
    }

    private static void referenced(Schema schema, Map<String, Schema> schemas, Set<String> names) {
        walk(schema, s -> {
            if (s.getRef() != null && s.getRef().startsWith(SCHEMAS)) {
                String name = s.getRef().substring(SCHEMAS.length());
                if (names.add(name)) {
                    referenced(schemas.get(name), schemas, names);
                }
            }
        });
    }

    /** Timestamps are ISO-8601 strings; the "Instant" component only named the Java type. */
    private static void plainTimestamps(Schema schema) {
        if ((SCHEMAS + INSTANT).equals(schema.getRef())) {
            schema.setRef(null);
            schema.setType(List.of(SchemaType.STRING));
            schema.setFormat("date-time");
        }
        // a nullable reference arrives as anyOf [reference, null]
        List<Schema> anyOf = schema.getAnyOf();
        if (anyOf != null && anyOf.size() == 2 && anyOf.stream().anyMatch(ApiDocumentFilter::isNull)) {
            Schema value = anyOf.stream().filter(s -> !isNull(s)).findFirst().orElseThrow();
            if ((SCHEMAS + INSTANT).equals(value.getRef())) {
                // a timestamp: one type list says the same
                schema.setAnyOf(null);
                schema.setType(List.of(SchemaType.STRING, SchemaType.NULL));
                schema.setFormat("date-time");
            } else if (value.getRef() != null) {
                // an object: a type beside the anyOf (smallrye writes "object") would refuse the null
                schema.setType(null);
            }
        }
    }

    /** A nullable enum must list null among its values, or null would not validate. */
    private static void nullableEnum(Schema schema) {
        if (schema.getEnumeration() != null && schema.getType() != null && schema.getType().contains(SchemaType.NULL)
                && !schema.getEnumeration().contains(null)) {
            List<Object> values = new ArrayList<>(schema.getEnumeration());
            values.add(null);
            schema.setEnumeration(values);
        }
    }

    /**
     * A reference says what the value is: a type beside it (smallrye writes the enum's "string" next to
     * the enum's reference) makes generators drop one of the two, with a warning.
     */
    private static void referenceAlone(Schema schema) {
        if (schema.getRef() != null && schema.getType() != null) {
            schema.setType(null);
        }
    }

    private static boolean isNull(Schema schema) {
        return schema.getType() != null && schema.getType().equals(List.of(SchemaType.NULL));
    }

    private static void anchorPattern(Schema schema) {
        String pattern = schema.getPattern();
        if (pattern == null || (pattern.startsWith("^") && pattern.endsWith("$"))) {
            return;
        }
        // @NotBlank is published as \S, "has a non-blank character somewhere": anchored, that reads so
        schema.setPattern(pattern.equals("\\S") ? "^\\s*\\S[\\s\\S]*$" : "^(?:" + pattern + ")$");
    }

    /** Applies the action to every schema of the document: components, bodies and parameters. */
    private static void eachSchema(OpenAPI api, Consumer<Schema> action) {
        api.getComponents().getSchemas().values().forEach(schema -> walk(schema, action));
        if (api.getComponents().getParameters() != null) {
            api.getComponents().getParameters().values().forEach(p -> walk(p.getSchema(), action));
        }
        api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(p -> walk(p.getSchema(), action));
            }
            List<Content> contents = new ArrayList<>();
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                contents.add(operation.getRequestBody().getContent());
            }
            operation.getResponses().getAPIResponses().values().forEach(response -> {
                if (response.getContent() != null) {
                    contents.add(response.getContent());
                }
                if (response.getHeaders() != null) {
                    response.getHeaders().values().forEach(h -> walk(h.getSchema(), action));
                }
            });
            contents.forEach(c -> c.getMediaTypes().values().forEach(m -> walk(m.getSchema(), action)));
        }));
    }

    private static void walk(Schema schema, Consumer<Schema> action) {
        if (schema == null) {
            return;
        }
        action.accept(schema);
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(s -> walk(s, action));
        }
        walk(schema.getItems(), action);
        walk(schema.getAdditionalPropertiesSchema(), action);
        Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
                .filter(Objects::nonNull)
                .forEach(list -> list.forEach(s -> walk(s, action)));
    }
}
