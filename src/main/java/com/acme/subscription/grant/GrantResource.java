package com.acme.subscription.grant;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/grants")
@Tag(name = "grants")
public class GrantResource {

    private final GrantService grants;
    private final SecurityIdentity identity;

    public GrantResource(GrantService grants, SecurityIdentity identity) {
        this.grants = grants;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "listGrants", summary = "The profile's current grants (active and paused), newest first")
    @APIResponse(responseCode = "200", description = "The grants")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<List<GrantView>> list(@PathParam("id") String id,
            @Parameter(description = "true adds expired and revoked grants", schema = @Schema(type = SchemaType.BOOLEAN,
                    defaultValue = "false")) @QueryParam("includeInactive") String includeInactive) {
        Caller.of(identity).requireProfile(id);
        return grants.list(id, flag(includeInactive));
    }

    @POST
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "createGrant", summary = "Grant a tier for days or until validUntil", description = "grantedBy "
            + "is admin for admins and subscription for the service role. Created paused while a Wellpass grant is "
            + "active.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GrantView.class)))
    @APIResponse(responseCode = "404", description = "profile_not_found, tier_not_found")
    @Parameter(ref = IdempotentRequest.HEADER)

    public Uni<Response> create(@PathParam("id") String id, @Valid @NotNull GrantInput body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller caller = Caller.of(identity);
        return grants.create(caller, id, body,
                IdempotentRequest.post(headers, uri, caller.subject(), body));
    }

    @DELETE
    @Path("/{grantId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "revokeGrant", summary = "Revoke a grant now; it never resumes", description = "Revoking a Wellpass grant resumes the "
            + "grants it paused at once. Revoking a revoked grant changes nothing.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "profile_not_found, grant_not_found")
    public Uni<Void> revoke(@PathParam("id") String id, @PathParam("grantId") String grantId) {
        return grants.revoke(id, grantId, Caller.of(identity).subject());
    }

    private static boolean flag(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.invalid("includeInactive", "must be true or false");
    }
}
