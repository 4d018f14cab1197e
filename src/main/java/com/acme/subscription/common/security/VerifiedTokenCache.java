package com.acme.subscription.common.security;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers bearer tokens that were verified, so that a client sending the same token on
 * every call (thousands of checks a second) pays for the RSA signature and the claim parsing
 * once instead of on every request. A token is served from here only until it expires and at
 * most {@value #MAX_AGE_MILLIS} ms after it was verified; what the parser refuses is never
 * remembered. Token expiry is wall-clock time, as in the parser itself.
 */
@Decorator
@Priority(10)
public class VerifiedTokenCache implements JWTParser {

    static final int MAX_ENTRIES = 10_000;
    static final long MAX_AGE_MILLIS = 300_000;

    private record Verified(JsonWebToken token, long verifiedAt) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    @Delegate
    JWTParser parser;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis();
        Verified known = verified.get(token);
        if (known != null && now - known.verifiedAt() < MAX_AGE_MILLIS
                && known.token().getExpirationTime() * 1000 > now) {
            return known.token();
        }
        JsonWebToken fresh = parser.parse(token);
        if (verified.size() >= MAX_ENTRIES) {
            // crude but bounded: a full cache starts over
            verified.clear();
        }
        verified.put(token, new Verified(fresh, now));
        return fresh;
    }

    // the other ways to read a token are not on the request path: passed through as they are

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return parser.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return parser.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return parser.parseOnly(token);
    }
}
