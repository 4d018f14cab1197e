package com.acme.subscription.usage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;
import com.acme.subscription.entitlement.Check;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/usage/{featureId}")
@Tag(name = "usage")
public class UsageResource {

    private final UsageService usage;
    private final SecurityIdentity identity;

    public UsageResource(UsageService usage, SecurityIdentity identity) {
        this.usage = usage;
        this.identity = identity;
    }

    @POST
    @Path("/consume")
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "consumeUsage", summary = "Use amount units, atomically and never past the limit",
            description = "Answers the check after the change (its allowed: may one more unit be used). A missing "
                    + "body or amount means 1.")
    @APIResponse(responseCode = "200", description = "Consumed: the check after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Check.class)))
    @APIResponse(responseCode = "400", description = "not_metered: a boolean feature has no counter")
    @APIResponse(responseCode = "403", description = "feature_disabled, email_not_verified, access_disabled (with the check as entitlement)")
    @APIResponse(responseCode = "404", description = "profile_not_found, feature_not_found")
    @APIResponse(responseCode = "409", description = "limit_exceeded: amount more would pass the limit (with the check as entitlement)")
    @Parameter(ref = IdempotentRequest.HEADER)
    public Uni<Response> consume(@PathParam("id") String id, @PathParam("featureId") String featureId,
            @RequestBody(required = false) UsageAmount body, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        UsageAmount amount = UsageAmount.of(body);
        Caller caller = Caller.of(identity).requireProfile(id);
        return usage.consume(id, featureId, amount, IdempotentRequest.post(headers, uri, caller.subject(), amount));
    }

    @POST
    @Path("/release")
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "releaseUsage", summary = "Give amount units back; the counter never goes below 0",
            description = "A user may not lift its own limits. A missing body or amount means 1.")
    @APIResponse(responseCode = "200", description = "Released: the check after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Check.class)))
    @APIResponse(responseCode = "400", description = "not_metered: a boolean feature has no counter")
    @APIResponse(responseCode = "404", description = "profile_not_found, feature_not_found")
    @Parameter(ref = IdempotentRequest.HEADER)
    public Uni<Response> release(@PathParam("id") String id, @PathParam("featureId") String featureId,
            @RequestBody(required = false) UsageAmount body, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Caller caller = Caller.of(identity);
        UsageAmount amount = UsageAmount.of(body);
        return usage.release(id, featureId, amount, IdempotentRequest.post(headers, uri, caller.subject(), amount));
    }

    @PUT
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "setUsage", summary = "Reconcile the counter of the current period", description = "Sets "
            + "it to used, also above the limit (it records what the profile holds).")
    @APIResponse(responseCode = "200", description = "The check after the change")
    @APIResponse(responseCode = "400", description = "not_metered: a boolean feature has no counter")
    @APIResponse(responseCode = "404", description = "profile_not_found, feature_not_found")
    public Uni<Check> reconcile(@PathParam("id") String id, @PathParam("featureId") String featureId,
            @Valid @NotNull UsageCount body) {
        return usage.reconcile(id, featureId, body.used());
    }
}
