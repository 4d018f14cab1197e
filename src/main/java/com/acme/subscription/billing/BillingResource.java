package com.acme.subscription.billing;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** A profile's billing, and the Stripe pages where it subscribes and manages its subscription. */
@Path(ApiPaths.V1 + "/profiles/{id}/billing")
@Tag(name = "billing")
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
public class BillingResource {

    private static final String NOT_CONFIGURED = "billing_not_configured: the service has no Stripe account";
    private static final String UNAVAILABLE = "billing_unavailable: Stripe could not be reached or refused the "
            + "request; try again later; unavailable: the database is unreachable; retry shortly";

    private final BillingAccountService billing;
    private final SecurityIdentity identity;

    public BillingResource(BillingAccountService billing, SecurityIdentity identity) {
        this.billing = billing;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getBilling", summary = "The profile's Stripe customer and subscriptions",
            description = "Subscriptions as Stripe's webhook last told them, newest first; empty until the first "
                    + "checkout is completed.")
    @APIResponse(responseCode = "200", description = "The profile's billing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BillingView.class)))
    @APIResponse(responseCode = "404", description = "profile_not_found; " + NOT_CONFIGURED)
    public Uni<BillingView> get(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return billing.get(id);
    }

    @POST
    @Path("/checkout-sessions")
    @Operation(operationId = "createCheckoutSession", summary = "Start subscribing to a tier on Stripe Checkout",
            description = "A Checkout session in subscription mode for the tier's price of the interval, for the "
                    + "profile's Stripe customer (created at the first checkout). Send the browser to the url; once "
                    + "paid, Stripe's webhook grants the tier.")
    @APIResponse(responseCode = "201", description = "The session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BillingSession.class)))
    @APIResponse(responseCode = "404", description = "profile_not_found, tier_not_found; " + NOT_CONFIGURED)
    @APIResponse(responseCode = "409", description = "tier_not_for_sale: the tier is inactive or has no Stripe price "
            + "for the interval")
    @APIResponse(responseCode = "503", description = UNAVAILABLE)
    public Uni<Response> checkout(@PathParam("id") String id, @Valid @NotNull CheckoutSessionInput body) {
        Caller.of(identity).requireProfile(id);
        return billing.checkout(id, body).map(BillingResource::created);
    }

    @POST
    @Path("/portal-sessions")
    @Operation(operationId = "createPortalSession", summary = "Open the Stripe Customer Portal",
            description = "Where the customer changes or cancels its subscription and its payment details; Stripe's "
                    + "webhook tells the service what changed.")
    @APIResponse(responseCode = "201", description = "The session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BillingSession.class)))
    @APIResponse(responseCode = "404", description = "profile_not_found; " + NOT_CONFIGURED)
    @APIResponse(responseCode = "409", description = "no_billing_customer: the profile has no Stripe customer before "
            + "its first checkout")
    @APIResponse(responseCode = "503", description = UNAVAILABLE)
    public Uni<Response> portal(@PathParam("id") String id, @Valid @NotNull PortalSessionInput body) {
        Caller.of(identity).requireProfile(id);
        return billing.portal(id, body).map(BillingResource::created);
    }

    private static Response created(BillingSession session) {
        return Response.status(Response.Status.CREATED).entity(session).build();
    }
}
