package com.acme.subscription.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * A verified token is served from memory until it expires (and at most the maximum age); a refused
 * one is never remembered; past the size bound, room is made for new tokens without forgetting the
 * others. Time is a ticker the test moves.
 */
class VerifiedTokenCacheTest {

    static final Duration MAX_AGE = Duration.ofMinutes(5);

    final AtomicInteger verifications = new AtomicInteger();
    final AtomicLong nanos = new AtomicLong();

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

    /** The cache over a parser that counts its verifications and refuses "bad" tokens; time stands still. */
    VerifiedTokenCache cache(long exp, int maximumSize) {
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
        return new VerifiedTokenCache(parser, maximumSize, MAX_AGE, nanos::get);
    }

    static long inSeconds(long seconds) {
        return System.currentTimeMillis() / 1000 + seconds;
    }

    void passes(Duration time) {
        nanos.addAndGet(time.toNanos());
    }

    @Test
    void aVerifiedTokenIsVerifiedOnce() throws Exception {
        VerifiedTokenCache cache = cache(inSeconds(3600), 100);
        JsonWebToken first = cache.parse("good-1");
        assertSame(first, cache.parse("good-1"));
        assertEquals(1, verifications.get());
        cache.parse("good-2");
        assertEquals(2, verifications.get());
    }

    @Test
    void anExpiredTokenIsVerifiedAgainAndARefusedOneNeverRemembered() throws Exception {
        VerifiedTokenCache cache = cache(inSeconds(-1), 100);
        cache.parse("stale");
        cache.parse("stale");
        assertEquals(2, verifications.get(), "an expired token is never served from memory");

        assertThrows(ParseException.class, () -> cache.parse("bad-token"));
        assertThrows(ParseException.class, () -> cache.parse("bad-token"));
        assertEquals(4, verifications.get());
        assertEquals(0, cache.remembered());
    }

    @Test
    void aTokenIsServedFromMemoryUntilItsOwnExpiry() throws Exception {
        // expires in 59-60 s from now (whole seconds)
        VerifiedTokenCache cache = cache(inSeconds(60), 100);
        JsonWebToken first = cache.parse("good");

        passes(Duration.ofSeconds(58));
        assertSame(first, cache.parse("good"));
        assertEquals(1, verifications.get());

        passes(Duration.ofSeconds(3));
        cache.parse("good");
        assertEquals(2, verifications.get(), "an expired token is verified again");
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() throws Exception {
        VerifiedTokenCache cache = cache(inSeconds(3600), 100);
        JsonWebToken first = cache.parse("good");

        passes(MAX_AGE.minusSeconds(1));
        assertSame(first, cache.parse("good"));
        assertEquals(1, verifications.get());

        passes(Duration.ofSeconds(2));
        cache.parse("good");
        assertEquals(2, verifications.get());
    }

    @Test
    void pastTheBoundOneTokenMakesRoomNotAll() throws Exception {
        VerifiedTokenCache cache = cache(inSeconds(3600), 100);
        for (int i = 0; i <= 100; i++) {
            cache.parse("good-" + i);
        }
        assertEquals(101, verifications.get());
        assertEquals(100, cache.remembered(), "the bound holds, and only what exceeds it is forgotten");

        cache.parse("good-100");
        assertEquals(101, verifications.get(), "the newest token is served from memory");
    }
}
