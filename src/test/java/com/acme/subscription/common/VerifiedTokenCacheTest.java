package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import com.acme.subscription.common.security.VerifiedTokenCache;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/** A verified token is served from memory until it expires; a refused one is never remembered. */
class VerifiedTokenCacheTest {

    final AtomicInteger verifications = new AtomicInteger();

    /** A token that expires at {@code exp} (seconds), named after its raw form. */
    static JsonWebToken token(String raw, long exp) {
        return (JsonWebToken) Proxy.newProxyInstance(JsonWebToken.class.getClassLoader(),
                new Class<?>[] { JsonWebToken.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> raw;
                    case "getClaimNames" -> Set.of("exp");
                    case "getClaim" -> "exp".equals(args[0]) ? Long.valueOf(exp) : null;
                    case "getExpirationTime" -> exp;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The decorator as CDI builds it, over a parser that counts its verifications and refuses "bad" tokens. */
    VerifiedTokenCache cache(long exp) throws Exception {
        JWTParser parser = (JWTParser) Proxy.newProxyInstance(JWTParser.class.getClassLoader(),
                new Class<?>[] { JWTParser.class }, (proxy, method, args) -> {
                    if (!method.getName().equals("parse") || args.length != 1) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    verifications.incrementAndGet();
                    String raw = (String) args[0];
                    if (raw.startsWith("bad")) {
                        throw new ParseException("refused");
                    }
                    return token(raw, exp);
                });
        VerifiedTokenCache cache = new VerifiedTokenCache();
        var field = VerifiedTokenCache.class.getDeclaredField("parser");
        field.setAccessible(true);
        field.set(cache, parser);
        return cache;
    }

    @Test
    void aVerifiedTokenIsVerifiedOnce() throws Exception {
        VerifiedTokenCache cache = cache(System.currentTimeMillis() / 1000 + 3600);
        JsonWebToken first = cache.parse("good-1");
        assertSame(first, cache.parse("good-1"));
        assertEquals(1, verifications.get());
        cache.parse("good-2");
        assertEquals(2, verifications.get());
    }

    @Test
    void anExpiredTokenIsVerifiedAgainAndARefusedOneNeverRemembered() throws Exception {
        VerifiedTokenCache cache = cache(System.currentTimeMillis() / 1000 - 1);
        cache.parse("stale");
        cache.parse("stale");
        assertEquals(2, verifications.get(), "an expired token is never served from memory");

        assertThrows(ParseException.class, () -> cache.parse("bad-token"));
        assertThrows(ParseException.class, () -> cache.parse("bad-token"));
        assertEquals(4, verifications.get());
    }
}
