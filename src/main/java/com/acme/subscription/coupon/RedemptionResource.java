package com.acme.subscription.coupon;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/redemptions")
@Tag(name = "coupons")
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
public class RedemptionResource {

    private final RedemptionService redemptions;
    private final SecurityIdentity identity;

    public RedemptionResource(RedemptionService redemptions, SecurityIdentity identity) {
        this.redemptions = redemptions;
        this.identity = identity;
    }

    @POST
    @Operation(operationId = "redeemCoupon", summary = "Redeem a coupon code", description = "Refusals, in this "
            + "order: 404 coupon_not_found, 409 coupon_already_redeemed, 410 coupon_inactive / coupon_not_yet_valid / "
            + "coupon_expired / coupon_exhausted. After 10 such failures within 15 minutes every attempt is 429 "
            + "too_many_attempts until the oldest leaves the window.")
    @APIResponse(responseCode = "201", description = "Redeemed: the redemption "
            + "and its grant (grant null when the coupon raised the base tier)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Redeemed.class)))
    @APIResponse(responseCode = "404", description = "coupon_not_found, profile_not_found")
    @APIResponse(responseCode = "409", description = "coupon_already_redeemed")
    @APIResponse(responseCode = "410", description = "coupon_inactive, coupon_not_yet_valid, coupon_expired, coupon_exhausted")
    @APIResponse(responseCode = "429", description = "too_many_attempts: 10 failed attempts within 15 minutes")
    @Parameter(ref = IdempotentRequest.HEADER)

    public Uni<Response> redeem(@PathParam("id") String id, @Valid @NotNull RedemptionInput body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller caller = Caller.of(identity).requireProfile(id);
        RedemptionInput input = body.normalized();
        return redemptions.redeem(id, input,
                IdempotentRequest.post(headers, uri, caller.subject(), input));
    }

    @GET
    @Operation(operationId = "listRedemptions", summary = "The profile's redemptions, newest first")
    @APIResponse(responseCode = "200", description = "The redemptions")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<List<RedemptionView>> list(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return redemptions.ofProfile(id);
    }
}
