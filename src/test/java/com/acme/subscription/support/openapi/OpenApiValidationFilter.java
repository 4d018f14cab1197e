package com.acme.subscription.support.openapi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.Header;
import io.restassured.http.Headers;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * A REST Assured filter that checks each request and its answer against an OpenAPI document and hands the
 * violations to a sink (which fails the test, records them, or collects them for a test of this filter).
 */
public final class OpenApiValidationFilter implements Filter {

    private final Supplier<OpenApiValidator> validator;
    private final BiConsumer<Exchange, List<Violation>> sink;

    public OpenApiValidationFilter(Supplier<OpenApiValidator> validator, BiConsumer<Exchange, List<Violation>> sink) {
        this.validator = validator;
        this.sink = sink;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        String requestBody = body(request.getBody());
        Response response = context.next(request, responseSpec);
        URI uri;
        try {
            uri = URI.create(request.getURI());
        } catch (IllegalArgumentException e) {
            return response; // a test sending a deliberately malformed URL: no operation of the document
        }
        Map<String, List<String>> requestHeaders = map(request.getHeaders());
        if (request.getContentType() != null && requestHeaders.keySet().stream()
                .noneMatch("Content-Type"::equalsIgnoreCase)) {
            requestHeaders.put("Content-Type", List.of(request.getContentType()));
        }
        Exchange exchange = new Exchange(request.getMethod(), uri, requestHeaders, requestBody,
                response.getStatusCode(), map(response.getHeaders()),
                new String(response.asByteArray(), StandardCharsets.UTF_8));
        OpenApiValidator v = validator.get();
        if (v.operation(exchange).isEmpty()) {
            // Not an API path or method of the document: /q/* on the management port, unknown URLs (404),
            // a documented path with another method (405).
            return response;
        }
        List<Violation> violations;
        long start = System.nanoTime();
        try {
            violations = v.validate(exchange);
        } catch (RuntimeException e) {
            violations = List.of(new Violation(v.operation(exchange).get().label(), exchange.status(), "document",
                    "cannot validate against the document: " + e));
        }
        OpenApiValidation.spent(System.nanoTime() - start);
        sink.accept(exchange, violations);
        return response;
    }

    private static String body(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof String s) {
            return s;
        }
        // Not serialized yet (no content type at the time body() was called): not checked.
        return null;
    }

    private static Map<String, List<String>> map(Headers headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.computeIfAbsent(header.getName(), n -> new ArrayList<>()).add(header.getValue());
        }
        return map;
    }
}
