package com.acme.subscription.common.security;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;

/**
 * Tokens signed with the committed dev key, for the dev token endpoint and the console's dev sign-in.
 * Built into dev and test mode only: the packaged service cannot mint a token.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = { "dev", "test" })
public class DevTokens {

    private final String issuer;
    private final String audience;

    public DevTokens(@ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") String audience) {
        this.issuer = issuer;
        this.audience = audience.split(",")[0].trim();
    }

    /** A token of the role for the subject, valid for 12 hours. */
    public String mint(String role, String subject) {
        return Jwt.issuer(issuer)
                .audience(audience)
                .subject(subject)
                .upn(subject)
                .groups(Set.of(role))
                .expiresIn(Duration.ofHours(12))
                .sign();
    }
}
