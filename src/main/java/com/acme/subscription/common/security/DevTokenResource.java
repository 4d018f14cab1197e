package com.acme.subscription.common.security;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;

/**
 * Mints tokens signed with the committed dev key, so that the API can be tried with curl.
 * Built into dev and test mode only: the packaged service has no such endpoint.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Path(ApiPaths.V1 + "/dev/tokens")
@Tag(name = "dev", description = "Dev mode only: tokens signed with the dev key")
public class DevTokenResource {

    private final String issuer;
    private final String audience;

    public DevTokenResource(@ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") String audience) {
        this.issuer = issuer;
        this.audience = audience.split(",")[0].trim();
    }

    @POST
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "A bearer token for the given role and subject, valid for 12 hours")
    public String token(
            @QueryParam("role") @DefaultValue(Roles.ADMIN) @Pattern(regexp = "admin|service|user") String role,
            @QueryParam("sub") String subject) {
        String sub = subject == null || subject.isBlank() ? role + "-" + UUID.randomUUID() : subject;
        return Jwt.issuer(issuer)
                .audience(audience)
                .subject(sub)
                .upn(sub)
                .groups(Set.of(role))
                .expiresIn(Duration.ofHours(12))
                .sign();
    }
}
