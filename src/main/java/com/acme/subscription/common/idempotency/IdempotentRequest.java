package com.acme.subscription.common.idempotency;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import com.acme.subscription.common.error.ApiException;

/**
 * A write that a client may retry: the key is scoped to (token subject, method, path), and
 * {@code request} is the body after defaults were applied, so {@code {}} and
 * {@code {"amount": 1}} are the same request. {@code profileId} names the profile the request is
 * about (null: none): its stored answer is erased with that profile, whoever made the request.
 */
public record IdempotentRequest(String key, String subject, String method, String path, Object request,
        String profileId) {

    public static final String HEADER = "Idempotency-Key";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public IdempotentRequest {
        if (key != null && !key.matches("[\\x20-\\x7E]{1,200}")) {
            throw ApiException.invalid(HEADER, "must be 1 to 200 printable ASCII characters");
        }
    }

    public IdempotentRequest(String key, String subject, String method, String path, Object request) {
        this(key, subject, method, path, request, null);
    }

    /** The same request, about this profile. */
    public IdempotentRequest about(String profileId) {
        return new IdempotentRequest(key, subject, method, path, request, profileId);
    }

    public boolean hasKey() {
        return key != null;
    }

    /** A POST of this request: the key from its headers, scoped to the caller and the resource it was sent to. */
    public static IdempotentRequest post(HttpHeaders headers, UriInfo uri, String subject, Object request) {
        String key = key(headers);
        String path = uri.getRequestUri().getRawPath();
        // only a key is scoped by the path; without one, it is the refusal's instance as sent
        return new IdempotentRequest(key, subject, "POST", key == null ? path : canonicalPath(path), request);
    }

    /**
     * The path as the resource it names, not as it was spelt, as RFC 3986 compares URIs: an escaped
     * unreserved character is that character ({@code ai%5Fcalls} is {@code ai_calls}), the other
     * escapes are written with upper-case digits, and a trailing slash, which the service routes as if
     * it were not there, is dropped. Everything else is left as sent, so a path as clients usually
     * send it is unchanged, and the keys stored before this rule still match.
     */
    static String canonicalPath(String rawPath) {
        int end = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.length() - 1 : rawPath.length();
        if (rawPath.indexOf('%') < 0) {
            return rawPath.substring(0, end);
        }
        StringBuilder canonical = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = rawPath.charAt(i);
            int high = c == '%' && i + 2 < end ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(rawPath.charAt(i + 2), 16) : -1;
            if (low < 0) {
                canonical.append(c);
                continue;
            }
            char decoded = (char) (high * 16 + low);
            if (decoded >= 'a' && decoded <= 'z' || decoded >= 'A' && decoded <= 'Z' || decoded >= '0' && decoded <= '9'
                    || decoded == '-' || decoded == '.' || decoded == '_' || decoded == '~') {
                canonical.append(decoded);
            } else {
                canonical.append('%').append(HEX[high]).append(HEX[low]);
            }
            i += 2;
        }
        return canonical.toString();
    }

    /** The Idempotency-Key header: null when absent, "" (and so a 400) when sent empty. */
    static String key(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.get(0) == null ? "" : values.get(0);
    }
}
