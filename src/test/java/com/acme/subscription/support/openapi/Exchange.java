package com.acme.subscription.support.openapi;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request and its answer, independent of the HTTP client that made it.
 *
 * @param requestBody  the body as sent, null when there was none (or it is not text)
 * @param responseBody the body as received, empty when there was none
 */
public record Exchange(String method, URI uri, Map<String, List<String>> requestHeaders, String requestBody,
        int status, Map<String, List<String>> responseHeaders, String responseBody) {

    public Exchange {
        method = method.toUpperCase(Locale.ROOT);
        requestHeaders = caseInsensitive(requestHeaders);
        responseHeaders = caseInsensitive(responseHeaders);
        responseBody = responseBody == null ? "" : responseBody;
    }

    public String requestHeader(String name) {
        List<String> values = requestHeaders.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String responseHeader(String name) {
        List<String> values = responseHeaders.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The media type without parameters, lower-cased ("application/json" of "application/json;charset=UTF-8"). */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        }
        return copy;
    }
}
