package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;

/** The service's token parser is the caching one: the same token is verified once. */
@QuarkusTest
class VerifiedTokenCacheActiveTest {

    @Inject
    JWTParser parser;

    @Test
    void theSameTokenIsServedFromMemory() throws Exception {
        String token = TestTokens.service();
        assertSame(parser.parse(token), parser.parse(token));
        assertNotSame(parser.parse(token), parser.parse(TestTokens.admin()));
    }
}
