package com.acme.subscription.coupon;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/coupons")
@Tag(name = "coupons")
@RolesAllowed(Roles.ADMIN)
public class CouponResource {

    private final CouponService coupons;
    private final SecurityIdentity identity;

    public CouponResource(CouponService coupons, SecurityIdentity identity) {
        this.coupons = coupons;
        this.identity = identity;
    }

    @POST
    @Operation(operationId = "createCoupon", summary = "Create a coupon", description = "period and wellpass need "
            + "durationDays; single_use is redeemable once in total (maxRedemptions 1). Codes are trimmed and unique "
            + "regardless of case.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CouponView.class)))
    @APIResponse(responseCode = "404", description = "tier_not_found")
    @APIResponse(responseCode = "409", description = "coupon_code_taken")
    public Uni<Response> create(@Valid @NotNull CouponInput body) {
        return coupons.create(body, Caller.of(identity).subject())
                .map(coupon -> Response.status(Response.Status.CREATED).entity(coupon).build());
    }

    @GET
    @Operation(operationId = "listCoupons", summary = "Coupons, newest first, paginated")
    @APIResponse(responseCode = "200", description = "A page of coupons")
    public Uni<Page<CouponView>> list(
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("active") String active,
            @Parameter(schema = @Schema(implementation = CouponType.class)) @QueryParam("type") String type,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return coupons.list(bool(active), type(type), Page.request(limit, cursor));
    }

    @GET
    @Path("/{couponId}")
    @Operation(operationId = "getCoupon", summary = "One coupon")
    @APIResponse(responseCode = "200", description = "The coupon")
    @APIResponse(responseCode = "404", description = "coupon_not_found")
    public Uni<CouponView> get(@PathParam("couponId") String couponId) {
        return coupons.get(couponId);
    }

    @PATCH
    @Path("/{couponId}")
    @Operation(operationId = "updateCoupon", summary = "Change active, validFrom, validUntil, description or "
            + "maxRedemptions", description = "Other fields are 400.")
    @APIResponse(responseCode = "200", description = "The coupon after the change")
    @APIResponse(responseCode = "404", description = "coupon_not_found")
    @APIResponse(responseCode = "409", description = "max_redemptions_below_count")
    public Uni<CouponView> patch(@PathParam("couponId") String couponId,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CouponPatch.class)))
            @NotNull ObjectNode body) {
        return coupons.patch(couponId, body);
    }

    @DELETE
    @Path("/{couponId}")
    @Operation(operationId = "deactivateCoupon", summary = "Deactivate the coupon (active=false); its history is kept")
    @APIResponse(responseCode = "204", description = "Deactivated")
    @APIResponse(responseCode = "404", description = "coupon_not_found")
    public Uni<Void> deactivate(@PathParam("couponId") String couponId) {
        return coupons.deactivate(couponId);
    }

    @GET
    @Path("/{couponId}/redemptions")
    @Operation(operationId = "listCouponRedemptions", summary = "The coupon's redemptions, newest first, paginated")
    @APIResponse(responseCode = "200", description = "A page of redemptions")
    @APIResponse(responseCode = "404", description = "coupon_not_found")
    public Uni<Page<RedemptionView>> redemptions(@PathParam("couponId") String couponId,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return coupons.redemptions(couponId, Page.request(limit, cursor));
    }

    private static Boolean bool(String value) {
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiException.invalid("active", "must be true or false");
        }
        return Boolean.valueOf(value);
    }

    private static CouponType type(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "single_use", "period", "wellpass" -> CouponType.ofWire(value);
            default -> throw ApiException.invalid("type", "must be single_use, period or wellpass");
        };
    }
}
