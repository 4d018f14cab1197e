package com.acme.subscription.entitlement;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/entitlements")
@Tag(name = "entitlements")
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
public class EntitlementResource {

    private final EntitlementService entitlements;
    private final SecurityIdentity identity;

    public EntitlementResource(EntitlementService entitlements, SecurityIdentity identity) {
        this.entitlements = entitlements;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "listEntitlements", summary = "Effective tier and one check per active feature",
            description = "One database round trip.")
    @APIResponse(responseCode = "200", description = "The effective tier and the checks")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<Entitlements> all(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return entitlements.all(id);
    }

    @GET
    @Path("/{featureId}")
    @Operation(operationId = "checkEntitlement", summary = "May the profile use the feature amount more times?", description = "Denial reasons, "
            + "first match wins: email_not_verified, access_disabled, feature_disabled, limit_reached. "
            + "An inactive feature is allowed and unlimited (limitSource inactive).")
    @APIResponse(responseCode = "200", description = "The check")
    @APIResponse(responseCode = "404", description = "profile_not_found, feature_not_found")
    public Uni<Check> check(@PathParam("id") String id, @PathParam("featureId") String featureId,
            @Parameter(description = "How many units the caller wants to use", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = Amount.MAX_TEXT, defaultValue = "1")) @QueryParam("amount") String amount) {
        Caller.of(identity).requireProfile(id);
        return entitlements.check(id, featureId, Amount.parse(amount, "amount"));
    }
}
