package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.SecretKey;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import com.acme.subscription.common.security.VerifiedTokenCache;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/** A verified token is served from memory until it expires; a refused one is never remembered. */
class VerifiedTokenCacheTest {

    static final class CountingParser implements JWTParser {
        final AtomicInteger calls = new AtomicInteger();
        long expiresAt = System.currentTimeMillis() / 1000 + 3600;

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls.incrementAndGet();
            if (token.startsWith("bad")) {
                throw new ParseException("refused");
            }
            long exp = expiresAt;
            return new JsonWebToken() {
                @Override
                public String getName() {
                    return token;
                }

                @Override
                public Set<String> getClaimNames() {
                    return Set.of("exp");
                }

                @Override
                @SuppressWarnings("unchecked")
                public <T> T getClaim(String claimName) {
                    return "exp".equals(claimName) ? (T) Long.valueOf(exp) : null;
                }
            };
        }

        @Override
        public JsonWebToken parse(String token, JWTAuthContextInfo context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, PublicKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken parseOnly(String token) {
            throw new UnsupportedOperationException();
        }
    }

    /** The decorator as CDI builds it: its delegate is the real parser. */
    static VerifiedTokenCache decorating(CountingParser parser) throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache();
        var field = VerifiedTokenCache.class.getDeclaredField("parser");
        field.setAccessible(true);
        field.set(cache, parser);
        return cache;
    }

    @Test
    void aVerifiedTokenIsVerifiedOnce() throws Exception {
        CountingParser parser = new CountingParser();
        VerifiedTokenCache cache = decorating(parser);
        JsonWebToken first = cache.parse("good-1");
        assertSame(first, cache.parse("good-1"));
        assertEquals(1, parser.calls.get());
        cache.parse("good-2");
        assertEquals(2, parser.calls.get());
    }

    @Test
    void anExpiredTokenIsVerifiedAgainAndARefusedOneNeverRemembered() throws Exception {
        CountingParser parser = new CountingParser();
        VerifiedTokenCache cache = decorating(parser);
        parser.expiresAt = System.currentTimeMillis() / 1000 - 1;
        cache.parse("stale");
        cache.parse("stale");
        assertEquals(2, parser.calls.get(), "an expired token is never served from memory");

        assertThrows(ParseException.class, () -> cache.parse("bad-token"));
        assertThrows(ParseException.class, () -> cache.parse("bad-token"));
        assertEquals(4, parser.calls.get());
    }
}
