package com.acme.subscription.common.idempotency;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
    /** Besides letters and digits, what a path segment may hold unencoded (RFC 3986 pchar). */
    private static final String LITERAL = "-._~!$&'()*+,;=:@";

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
        return new IdempotentRequest(key(headers), subject, "POST", canonicalPath(uri.getRequestUri().getRawPath()),
                request);
    }

    /**
     * The path as the resource it names, not as it was spelt: every spelling the service routes to the
     * same resource ({@code ai_calls} or {@code ai%5Fcalls}, a trailing slash or none) scopes a key
     * alike, or a retry spelt otherwise would do the work again. Each segment is decoded and encoded
     * again, with only what a segment may hold unencoded left as it is; an encoded {@code /} stays
     * inside its segment. (For the paths clients usually send, the result is the path as sent.)
     */
    static String canonicalPath(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        int end = segments.length > 1 && segments[segments.length - 1].isEmpty() ? segments.length - 1 : segments.length;
        StringBuilder canonical = new StringBuilder();
        for (int i = 1; i < end; i++) {
            canonical.append('/');
            for (byte b : decode(segments[i])) {
                int c = b & 0xFF;
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || LITERAL.indexOf(c) >= 0) {
                    canonical.append((char) c);
                } else {
                    canonical.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
        }
        return canonical.isEmpty() ? "/" : canonical.toString();
    }

    /** A segment's bytes with its escapes decoded (Quarkus refuses a path with a broken escape before this). */
    private static byte[] decode(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        int i = 0;
        while (i < segment.length()) {
            int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (segment.charAt(i) == '%' && low >= 0) {
                bytes.write(high * 16 + low);
                i += 3;
            } else {
                int codePoint = segment.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toByteArray();
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
