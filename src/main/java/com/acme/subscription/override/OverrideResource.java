package com.acme.subscription.override;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/overrides")
@Tag(name = "overrides")
public class OverrideResource {

    private final OverrideService overrides;
    private final SecurityIdentity identity;

    public OverrideResource(OverrideService overrides, SecurityIdentity identity) {
        this.overrides = overrides;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "listOverrides", summary = "The profile's overrides")
    @APIResponse(responseCode = "200", description = "The overrides")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<List<OverrideView>> list(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return overrides.list(id);
    }

    @PUT
    @Path("/{featureId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "putOverride", summary = "Give the profile its own limit of a feature", description = "Beats "
            + "the tier's limit (limitSource override); null is unlimited (say it explicitly), 0 disabled.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OverrideView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OverrideView.class)))
    @APIResponse(responseCode = "404", description = "profile_not_found, feature_not_found")
    public Uni<Response> put(@PathParam("id") String id, @PathParam("featureId") String featureId,
            @Valid @NotNull OverrideInput body) {
        return overrides.set(id, featureId, body, Caller.of(identity).subject()).map(Upserted::toResponse);
    }

    @DELETE
    @Path("/{featureId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteOverride", summary = "Remove the override: the tier's limit applies again")
    @APIResponse(responseCode = "204", description = "Removed (or there was none)")
    @APIResponse(responseCode = "404", description = "profile_not_found, feature_not_found")
    public Uni<Void> delete(@PathParam("id") String id, @PathParam("featureId") String featureId) {
        return overrides.remove(id, featureId, Caller.of(identity).subject());
    }
}
