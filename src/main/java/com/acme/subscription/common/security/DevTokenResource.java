package com.acme.subscription.common.security;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.error.ApiException;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * Mints tokens signed with the committed dev key, so that the API can be tried with curl.
 * Built into dev and test mode only: the packaged service has no such endpoint.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Path(ApiPaths.V1 + "/dev/tokens")
@Tag(name = "dev", description = "Dev mode only: tokens signed with the dev key")
public class DevTokenResource {

    /** A plausible subject: a profile id (letters, digits and . _ : -), or an e-mail-like name for admins. */
    static final String SUBJECT = "[A-Za-z0-9._@:-]{1,200}";
    static final String SUBJECT_RULE = "must be 1-200 letters, digits or . _ @ : - (a profile id for role user)";
    static final String ROLE_RULE = "must be admin, service or user";

    private final DevTokens tokens;

    public DevTokenResource(DevTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "createDevToken", summary = "A bearer token for the given role and subject, valid for 12 hours",
            description = "role: "
            + "admin (default), service or user; sub: for a user token the profile id, else any name (default: "
            + "role-<uuid>). A bad role or sub is 400 validation_failed.")
    public String token(
            @QueryParam("role") @DefaultValue(Roles.ADMIN)
            @Pattern(regexp = "admin|service|user", message = ROLE_RULE) String role,
            // named like the query parameter, so that a 400 names the field "sub"
            @QueryParam("sub")
            @Pattern(regexp = SUBJECT, message = SUBJECT_RULE) String sub,
            @Context UriInfo uri) {
        // "role=" and "sub=" arrive as the default and null: an unset shell variable must not mint an
        // admin token or one for a made-up subject
        if (sentEmpty(uri, "role")) {
            throw ApiException.invalid("role", ROLE_RULE);
        }
        if (sentEmpty(uri, "sub")) {
            throw ApiException.invalid("sub", SUBJECT_RULE);
        }
        String subject = sub == null ? role + "-" + UUID.randomUUID() : sub;
        return tokens.mint(role, subject);
    }

    private static boolean sentEmpty(UriInfo uri, String name) {
        List<String> values = uri.getQueryParameters().get(name);
        return values != null && (values.isEmpty() || values.get(0) == null || values.get(0).isEmpty());
    }
}
