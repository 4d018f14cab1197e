package com.acme.subscription.webhook;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * New endpoint secrets: {@code whsec_} and the base64 of 32 random bytes. The generator is a
 * field of the bean, created at run time (a static one would be seeded once, into a native image).
 */
@ApplicationScoped
public class Secrets {

    static final String PREFIX = "whsec_";

    private final SecureRandom random = new SecureRandom();

    public String generate() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
