package com.acme.subscription.common.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The path a key is scoped to: the resource, as RFC 3986 compares URIs, and paths as usually sent unchanged. */
class IdempotentRequestTest {

    @Test
    void aPathIsScopedAsTheResourceItNames() {
        assertEquals("/api/v1/profiles/p-1/usage/ai_calls/consume",
                IdempotentRequest.canonicalPath("/api/v1/profiles/p-1/usage/ai_calls/consume"));
        // an escaped unreserved character is that character; a trailing slash is dropped
        assertEquals("/api/v1/profiles/p-1/usage/ai_calls/consume",
                IdempotentRequest.canonicalPath("/api/v1/profiles/p%2D1/usage/ai%5fcalls/consume/"));
        // other escapes stay escapes (keys stored as sent before this rule still match), in upper case
        assertEquals("/api/v1/profiles/a%3Ab%2Fc/usage/x/consume",
                IdempotentRequest.canonicalPath("/api/v1/profiles/a%3ab%2fc/usage/x/consume"));
        assertEquals("/api/v1/profiles/a:b/usage/x/consume", IdempotentRequest.canonicalPath("/api/v1/profiles/a:b/usage/x/consume"));
        // a broken escape is left as it is (Quarkus refuses such a URL before it gets here)
        assertEquals("/a%zz/%4", IdempotentRequest.canonicalPath("/a%zz/%4"));
        assertEquals("/", IdempotentRequest.canonicalPath("/"));
    }
}
