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

    /** A POST of this request: the key from its headers, scoped to the caller and the path it was sent to. */
    public static IdempotentRequest post(HttpHeaders headers, UriInfo uri, String subject, Object request) {
        return new IdempotentRequest(key(headers), subject, "POST", uri.getRequestUri().getRawPath(), request);
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
