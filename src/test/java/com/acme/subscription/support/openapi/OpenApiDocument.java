package com.acme.subscription.support.openapi;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed OpenAPI 3.1 document: finds the operation of a request and compiles the schemas it points to.
 * <p>
 * The whole document is registered as one JSON Schema resource (OpenAPI 3.1 base dialect, which is JSON Schema
 * 2020-12 plus OpenAPI's annotations), so a schema is addressed by its JSON pointer in the document and its
 * {@code $ref}s to {@code #/components/schemas/...} resolve inside the document.
 */
public final class OpenApiDocument {

    static final JsonMapper JSON = new JsonMapper();
    private static final String IRI = "https://openapi.test/openapi.json";
    /** The same document with every object closed to the properties it names ({@link #closed}). */
    private static final String CLOSED_IRI = "https://openapi.test/closed/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    /** A node of the document and its JSON pointer (after following {@code $ref}s). */
    public record Located(JsonNode node, String pointer) {

        public Located at(String... names) {
            JsonNode n = node;
            StringBuilder p = new StringBuilder(pointer);
            for (String name : names) {
                n = n == null ? null : n.isArray() && name.matches("\\d+") ? n.get(Integer.parseInt(name)) : n.get(name);
                p.append('/').append(escape(name));
            }
            return new Located(n, p.toString());
        }

        public boolean exists() {
            return node != null && !node.isMissingNode() && !node.isNull();
        }
    }

    /** The operation a request is for. */
    public record Operation(String method, String template, Located node, Map<String, String> pathParams) {

        /** operationId, or "METHOD /template" where the document gives none. */
        public String label() {
            JsonNode id = node.node().get("operationId");
            return id != null && id.isString() ? id.asString() : method.toUpperCase(Locale.ROOT) + " " + template;
        }
    }

    private record Template(String path, String[] segments, int literals) {
    }

    private final JsonNode root;
    private final List<Template> templates = new ArrayList<>();
    private final List<String> serverPrefixes = new ArrayList<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final SchemaRegistry closedRegistry;
    private final Map<String, Schema> closedSchemas = new ConcurrentHashMap<>();

    private OpenApiDocument(String json) {
        this.root = JSON.readTree(json);
        root.path("paths").propertyNames().forEach(path -> {
            String[] segments = path.split("/", -1);
            int literals = 0;
            for (String segment : segments) {
                if (!isParam(segment)) {
                    literals++;
                }
            }
            templates.add(new Template(path, segments, literals));
        });
        // A path with more literal segments wins over a templated one (/tiers/new before /tiers/{id}).
        templates.sort(Comparator.comparingInt(Template::literals).reversed());
        for (JsonNode server : root.path("servers")) {
            String prefix = URI.create(server.path("url").asString("/").replace("{", "").replace("}", "")).getPath();
            if (prefix != null && prefix.length() > 1) {
                serverPrefixes.add(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
            }
        }
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(IRI, json)));
        String closed = JSON.writeValueAsString(closed(JSON.readTree(json)));
        this.closedRegistry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(CLOSED_IRI, closed)));
    }

    /**
     * Every object schema that names its properties and says nothing of others gets
     * {@code additionalProperties: false}: an answer may then hold no field the document does not
     * name, so that a generated client can read every field the service sends (requests stay open:
     * the service ignores unknown fields on purpose). The document has no {@code allOf}, where this
     * would refuse the other parts' properties.
     */
    private static JsonNode closed(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("properties") && object.get("properties").isObject()
                && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
        node.forEach(OpenApiDocument::closed);
        return node;
    }

    public static OpenApiDocument parse(String json) {
        return new OpenApiDocument(json);
    }

    public JsonNode root() {
        return root;
    }

    public Located located(String pointer) {
        return new Located(root.at(pointer), pointer);
    }

    /** The operation for this method and raw (still percent-encoded) path; empty where the document has none. */
    public Optional<Operation> operation(String method, String rawPath) {
        Optional<Operation> found = match(method, rawPath);
        for (int i = 0; found.isEmpty() && i < serverPrefixes.size(); i++) {
            String prefix = serverPrefixes.get(i);
            if (rawPath.startsWith(prefix + "/")) {
                found = match(method, rawPath.substring(prefix.length()));
            }
        }
        return found;
    }

    private Optional<Operation> match(String method, String rawPath) {
        String m = method.toLowerCase(Locale.ROOT);
        for (Template template : templates) {
            Map<String, String> params = params(template, rawPath);
            if (params == null) {
                continue;
            }
            Located item = resolve(new Located(root.path("paths"), "/paths").at(template.path()));
            if (METHODS.contains(m) && item.node().has(m)) {
                return Optional.of(new Operation(m, template.path(), item.at(m), params));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> params(Template template, String rawPath) {
        String[] actual = rawPath.split("/", -1);
        if (actual.length != template.segments().length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < actual.length; i++) {
            String expected = template.segments()[i];
            if (isParam(expected)) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), decode(actual[i]));
            } else if (!expected.equals(decode(actual[i]))) {
                return null;
            }
        }
        return params;
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Follows {@code $ref}s to objects of this document (responses, parameters, request bodies, headers). */
    public Located resolve(Located located) {
        Located current = located;
        for (int hops = 0; hops < 20 && current.exists() && current.node().has("$ref"); hops++) {
            String ref = current.node().get("$ref").asString();
            if (!ref.startsWith("#")) {
                throw new IllegalStateException("only references inside the document are supported: " + ref);
            }
            String pointer = decode(ref.substring(1));
            current = new Located(root.at(pointer), pointer);
        }
        return current;
    }

    /** The compiled JSON Schema at this pointer of the document; compiled once. */
    public Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + "#" + encode(p))));
    }

    /** {@link #schema(String)} of the document whose objects are closed ({@link #closed}), for answers. */
    public Schema answerSchema(String pointer) {
        return closedSchemas.computeIfAbsent(pointer,
                p -> closedRegistry.getSchema(SchemaLocation.of(CLOSED_IRI + "#" + encode(p))));
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Percent-encodes what a URI fragment may not hold (path templates' braces, spaces). */
    private static String encode(String pointer) {
        StringBuilder out = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c > 0x20 && c < 0x7f && "{}%\"<>\\^`|#[]".indexOf(c) < 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
