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

@Path(ApiPaths.V1 + "/tiers")
@Tag(name = "catalog")
@Authenticated
public class TierResource {

    private final TierService tiers;
    private final TierLimitService limits;

    public TierResource(TierService tiers, TierLimitService limits) {
        this.tiers = tiers;
        this.limits = limits;
    }

    @GET
    @Operation(operationId = "listTiers", summary = "All tiers, inactive ones included, by sortOrder")
    public Uni<List<Tier>> list() {
        return tiers.list();
    }

    @GET
    @Path("/{tierId}")
    @Operation(operationId = "getTier", summary = "One tier")
    @APIResponse(responseCode = "200", description = "The tier")
    @APIResponse(responseCode = "404", description = "tier_not_found")
    public Uni<Tier> get(@PathParam("tierId") String tierId) {
        return tiers.get(tierId);
    }

    @PUT
    @Path("/{tierId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "putTier", summary = "Create or replace a tier", description = "'disabled' is reserved "
            + "(400); a sortOrder another tier has is 409 sort_order_taken. A price id another tier sells is 409 "
            + "price_id_taken; a price id the tier stops naming is retired: its subscribers keep the tier.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Tier.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Tier.class)))
    @APIResponse(responseCode = "409", description = "sort_order_taken or price_id_taken")
    public Uni<Response> put(@PathParam("tierId") @Pattern(regexp = Ids.CATALOG_ID, message = Ids.CATALOG_ID_MESSAGE) String tierId,
            @Valid @NotNull TierInput body) {
        return tiers.upsert(tierId, body).map(Upserted::toResponse);
    }

    @DELETE
    @Path("/{tierId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteTier", summary = "Delete a tier that nothing uses", description = "409 tier_in_use when a profile, grant, "
            + "coupon or the settings trial_tier/post_trial_tier reference it: deactivate it instead.")
    @APIResponse(responseCode = "204", description = "Deleted, with its tier limits")
    @APIResponse(responseCode = "404", description = "tier_not_found")
    @APIResponse(responseCode = "409", description = "tier_in_use")
    public Uni<Void> delete(@PathParam("tierId") String tierId) {
        return tiers.delete(tierId);
    }

    @PUT
    @Path("/{tierId}/limits/{featureId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "putTierLimit", summary = "Set the tier's limit of a feature", description = "null is "
            + "unlimited (say it explicitly), 0 disabled.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TierLimitView.class)))
    @APIResponse(responseCode = "201", description = "Created: the cell had no limit", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TierLimitView.class)))
    @APIResponse(responseCode = "404", description = "tier_not_found, feature_not_found")
    public Uni<Response> putLimit(@PathParam("tierId") String tierId, @PathParam("featureId") String featureId,
            @Valid @NotNull LimitInput body) {
        return limits.set(tierId, featureId, body).map(Upserted::toResponse);
    }

    @DELETE
    @Path("/{tierId}/limits/{featureId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteTierLimit", summary = "Remove the tier's limit of a feature: the feature's defaultLimit applies")
    @APIResponse(responseCode = "204", description = "Removed (or there was none)")
    @APIResponse(responseCode = "404", description = "tier_not_found, feature_not_found")
    public Uni<Void> deleteLimit(@PathParam("tierId") String tierId, @PathParam("featureId") String featureId) {
        return limits.remove(tierId, featureId);
    }
}
