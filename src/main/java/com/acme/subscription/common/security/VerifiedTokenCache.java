package com.acme.subscription.common.security;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;

import javax.crypto.SecretKey;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers bearer tokens that were verified, so that a client sending the same token on
 * every call (thousands of checks a second) pays for the RSA signature and the claim parsing
 * once instead of on every request. A token is served from here only until it expires and at
 * most {@code subscriptions.token-cache.max-age} after it was verified; what the parser refuses
 * is never remembered. At most {@code subscriptions.token-cache.maximum-size} tokens are held:
 * past that, the ones least likely to be sent again make room (Caffeine), not all of them at once.
 * Token expiry is wall-clock time, as in the parser itself.
 */
@Decorator
@Priority(10)
public class VerifiedTokenCache implements JWTParser {

    private final JWTParser parser;
    private final Duration maxAge;
    private final Cache<String, JsonWebToken> verified;

    @Inject
    public VerifiedTokenCache(@Delegate JWTParser parser, SubscriptionsConfig config) {
        this(parser, config.tokenCache().maximumSize(), config.tokenCache().maxAge(), Ticker.systemTicker());
    }

    VerifiedTokenCache(JWTParser parser, int maximumSize, Duration maxAge, Ticker ticker) {
        this.parser = parser;
        this.maxAge = maxAge;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                // each token for its own time, set when it is (again) verified
                .expireAfter(Expiry.<String, JsonWebToken> writing((raw, token) -> lifetime(token)))
                .ticker(ticker)
                // the upkeep (evicting past the bound) is a few steps, done by the request that
                // caused it rather than handed to the common pool: the bound holds at once
                .executor(Runnable::run)
                .build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonWebToken fresh = parser.parse(token);
        if (!lifetime(fresh).isZero()) {
            verified.put(token, fresh);
        }
        return fresh;
    }

    /** How long a token just verified may be served from memory: until its expiry, at most {@link #maxAge}. */
    private Duration lifetime(JsonWebToken token) {
        Duration valid = Duration.ofMillis(token.getExpirationTime() * 1000 - System.currentTimeMillis());
        return valid.isNegative() ? Duration.ZERO : valid.compareTo(maxAge) < 0 ? valid : maxAge;
    }

    /** How many tokens are remembered now (after the pending upkeep). */
    long remembered() {
        verified.cleanUp();
        return verified.estimatedSize();
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
