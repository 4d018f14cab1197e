package com.acme.subscription.catalog;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import com.acme.subscription.common.Ids;
import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/features")
@Tag(name = "catalog")
@Authenticated
public class FeatureResource {

    private final FeatureService features;

    public FeatureResource(FeatureService features) {
        this.features = features;
    }

    @GET
    @Operation(operationId = "listFeatures", summary = "The feature registry, by id")
    public Uni<List<Feature>> list() {
        return features.list();
    }

    @GET
    @Path("/{featureId}")
    @Operation(operationId = "getFeature", summary = "One feature")
    @APIResponse(responseCode = "200", description = "The feature")
    @APIResponse(responseCode = "404", description = "feature_not_found")
    public Uni<Feature> get(@PathParam("featureId") String featureId) {
        return features.get(featureId);
    }

    @PUT
    @Path("/{featureId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "putFeature", summary = "Create or replace a feature", description = "Needs no code or "
            + "schema change. Defaults: limitType count, resetPeriod never, defaultLimit null (unlimited), active true.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Feature.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Feature.class)))
    public Uni<Response> put(@PathParam("featureId") @Pattern(regexp = Ids.CATALOG_ID, message = Ids.CATALOG_ID_MESSAGE) String featureId,
            @Valid @NotNull FeatureInput body) {
        return features.upsert(featureId, body).map(Upserted::toResponse);
    }

    @DELETE
    @Path("/{featureId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteFeature", summary = "Delete a feature and its tier limits", description = "409 feature_in_use when a profile "
            + "has usage or an override for it: retire it with active=false instead.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "feature_not_found")
    @APIResponse(responseCode = "409", description = "feature_in_use")
    public Uni<Void> delete(@PathParam("featureId") String featureId) {
        return features.delete(featureId);
    }
}
