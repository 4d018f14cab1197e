package com.acme.subscription.support.openapi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import com.acme.subscription.support.ApiTest;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Validates every HTTP exchange of the tests against the OpenAPI document the service serves.
 * <p>
 * {@link OpenApiValidationExtension} calls {@link #install()} before every test class, in the class loader the test
 * runs in (a {@code @QuarkusTest} runs in Quarkus' own one, with its own copy of REST Assured). The document is read
 * once per application start, at the first request (the service is up by then), from the management port.
 * <p>
 * System properties: {@code openapi.validation} = {@code fail} (default: a violation fails the request that caused
 * it), {@code report} (only record) or {@code off}; {@code openapi.validation.report} = a file every violation is
 * appended to (tab-separated, see {@link Violation#toLine}); default {@code target/openapi-violations.tsv} in
 * report mode, none in fail mode.
 */
public final class OpenApiValidation {

    public enum Mode {
        FAIL, REPORT, OFF
    }

    // Counted per JVM, across the class loaders of the application starts (the system properties are what
    // they share); OpenApiValidationSummary prints them when the tests end.
    static final String VALIDATED = "openapi.validation.count.validated";
    static final String VIOLATIONS = "openapi.validation.count.violations";
    static final String NANOS = "openapi.validation.count.nanos";
    private static volatile OpenApiValidator validator;
    private static volatile String currentTest = "";

    private OpenApiValidation() {
    }

    static long count(String counter) {
        return Long.parseLong(System.getProperty(counter, "0"));
    }

    private static void add(String counter, long delta) {
        Properties properties = System.getProperties();
        synchronized (properties) {
            properties.setProperty(counter, Long.toString(count(counter) + delta));
        }
    }

    public static Mode mode() {
        return Mode.valueOf(System.getProperty("openapi.validation", "fail").trim().toUpperCase(Locale.ROOT));
    }

    /** Adds the validating filter to REST Assured's global filters once (replacing one of an older class loader). */
    public static synchronized void install() {
        if (mode() == Mode.OFF) {
            return;
        }
        List<Filter> filters = new ArrayList<>();
        boolean present = false;
        for (Filter filter : RestAssured.filters()) {
            if (filter instanceof OpenApiValidationFilter) {
                present = true;
                filters.add(filter);
            } else if (!filter.getClass().getName().equals(OpenApiValidationFilter.class.getName())) {
                filters.add(filter);
            }
        }
        if (!present) {
            filters.add(new OpenApiValidationFilter(OpenApiValidation::validator, OpenApiValidation::handle));
        }
        RestAssured.replaceFiltersWith(filters);
    }

    /** Which test makes the requests now (named in the report). */
    public static void currentTest(String name) {
        currentTest = name;
    }

    /** How many exchanges were checked against the document (in this JVM). */
    public static long validated() {
        return count(VALIDATED);
    }

    /** The validator for the running service's document, fetched at the first use. */
    public static OpenApiValidator validator() {
        OpenApiValidator v = validator;
        if (v == null) {
            synchronized (OpenApiValidation.class) {
                if (validator == null) {
                    validator = new OpenApiValidator(OpenApiDocument.parse(fetchDocument()));
                }
                v = validator;
            }
        }
        return v;
    }

    /** The served document as JSON, from the management port of the service under test. */
    public static String fetchDocument() {
        String base = RestAssured.baseURI == null ? "http://localhost" : RestAssured.baseURI;
        URI uri = URI.create(base + ":" + ApiTest.MANAGEMENT_PORT + "/q/openapi?format=json");
        try {
            // HTTP/1.1: the client's default asks for an upgrade to HTTP/2, and once in a full run the upgraded
            // answer of this 5 MB document came back as a frame the client refused ("exceeds MAX_FRAME_SIZE")
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the OpenAPI document at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }

    /**
     * Checks an exchange made without REST Assured (e.g. with java.net.http) the same way the filter checks the
     * others; {@code requestBody} is what was sent (null for none).
     */
    public static void verify(HttpRequest request, String requestBody, HttpResponse<String> response) {
        if (mode() == Mode.OFF) {
            return;
        }
        Exchange exchange = new Exchange(request.method(), request.uri(), request.headers().map(), requestBody,
                response.statusCode(), response.headers().map(), response.body());
        handle(exchange, validator().validate(exchange));
    }

    /** Time spent checking (to keep an eye on what the checks cost the suite). */
    static void spent(long nanos) {
        add(NANOS, nanos);
    }

    /** Counts, records and (in fail mode) fails with every violation of one exchange. */
    static void handle(Exchange exchange, List<Violation> violations) {
        add(VALIDATED, 1);
        if (violations.isEmpty()) {
            return;
        }
        add(VIOLATIONS, violations.size());
        Mode mode = mode();
        String reportFile = System.getProperty("openapi.validation.report",
                mode == Mode.REPORT ? "target/openapi-violations.tsv" : "");
        if (!reportFile.isBlank()) {
            append(Path.of(reportFile), violations);
        }
        if (mode == Mode.FAIL) {
            throw new AssertionError(message(exchange, violations));
        }
    }

    static String message(Exchange exchange, List<Violation> violations) {
        StringBuilder message = new StringBuilder("The OpenAPI document does not describe this exchange: ")
                .append(exchange.method()).append(' ').append(exchange.uri().getRawPath())
                .append(" -> ").append(exchange.status());
        String contentType = exchange.responseHeader("Content-Type");
        if (contentType != null) {
            message.append(' ').append(contentType);
        }
        for (Violation violation : violations) {
            message.append("\n  ").append(violation);
        }
        if (exchange.requestBody() != null && violations.stream().anyMatch(v -> v.where().equals("request"))) {
            message.append("\n  request body: ").append(abbreviate(exchange.requestBody()));
        }
        String body = exchange.responseBody();
        if (!body.isEmpty()) {
            message.append("\n  response body: ").append(abbreviate(body));
        }
        return message.toString();
    }

    private static String abbreviate(String body) {
        return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
    }

    private static synchronized void append(Path file, List<Violation> violations) {
        StringBuilder lines = new StringBuilder();
        violations.forEach(v -> lines.append(v.toLine(currentTest)).append('\n'));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }
}
