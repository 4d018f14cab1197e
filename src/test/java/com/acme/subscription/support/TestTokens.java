package com.acme.subscription.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** Bearer tokens signed with the committed dev/test key, and deliberately broken ones. */
public final class TestTokens {

    public static final String ISSUER = "subscription-dev";
    public static final String AUDIENCE = "subscription-service";

    private static PrivateKey devKey;

    private TestTokens() {
    }

    public static String admin() {
        return token("admin", "admin-1");
    }

    public static String service() {
        return token("service", "billing");
    }

    public static String user(String profileId) {
        return token("user", profileId);
    }

    public static String token(String role, String subject) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).upn(subject).groups(Set.of(role))
                .expiresIn(3600).sign(devKey());
    }

    public static String expired() {
        Instant past = Instant.now().minusSeconds(7200);
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("admin-1").groups(Set.of("admin"))
                .issuedAt(past).expiresAt(past.plusSeconds(60)).sign(devKey());
    }

    public static String otherAudience() {
        return Jwt.issuer(ISSUER).audience("another-service").subject("admin-1").groups(Set.of("admin"))
                .expiresIn(3600).sign(devKey());
    }

    public static String otherIssuer() {
        return Jwt.issuer("https://somebody.else").audience(AUDIENCE).subject("admin-1").groups(Set.of("admin"))
                .expiresIn(3600).sign(devKey());
    }

    public static String signedByAnotherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("admin-1").groups(Set.of("admin"))
                    .expiresIn(3600).sign(generator.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized PrivateKey devKey() {
        if (devKey == null) {
            try {
                devKey = KeyUtils.decodePrivateKey(Files.readString(Path.of("dev-keys/dev-private-key.pem")));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read dev-keys/dev-private-key.pem", e);
            }
        }
        return devKey;
    }
}
