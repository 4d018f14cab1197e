package com.acme.subscription.webhook;

import java.util.List;

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
import com.acme.subscription.common.security.Roles;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/webhooks")
@Tag(name = "webhooks")
@RolesAllowed(Roles.ADMIN)
public class WebhookResource {

    private final WebhookService webhooks;

    public WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Operation(operationId = "createWebhook", summary = "Subscribe an endpoint to events", description = "The answer "
            + "holds the signing secret; it is not shown again (rotate it to get a new one).")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookCreated.class)))
    public Uni<Response> create(@Valid @NotNull WebhookInput body) {
        return webhooks.create(body).map(created -> Response.status(Response.Status.CREATED).entity(created).build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "Every webhook endpoint, oldest first")
    @APIResponse(responseCode = "200", description = "The endpoints")
    public Uni<List<WebhookView>> list() {
        return webhooks.list();
    }

    @GET
    @Path("/{webhookId}")
    @Operation(operationId = "getWebhook", summary = "One webhook endpoint")
    @APIResponse(responseCode = "200", description = "The endpoint")
    @APIResponse(responseCode = "404", description = "webhook_not_found")
    public Uni<WebhookView> get(@PathParam("webhookId") String webhookId) {
        return webhooks.get(webhookId);
    }

    @PATCH
    @Path("/{webhookId}")
    @Operation(operationId = "updateWebhook", summary = "Change url, eventTypes, description or active",
            description = "Other fields are 400.")
    @APIResponse(responseCode = "200", description = "The endpoint after the change")
    @APIResponse(responseCode = "404", description = "webhook_not_found")
    public Uni<WebhookView> patch(@PathParam("webhookId") String webhookId,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookPatch.class)))
            @NotNull ObjectNode body) {
        return webhooks.patch(webhookId, body);
    }

    @DELETE
    @Path("/{webhookId}")
    @Operation(operationId = "deleteWebhook", summary = "Delete the endpoint with its deliveries and their log")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "webhook_not_found")
    public Uni<Void> delete(@PathParam("webhookId") String webhookId) {
        return webhooks.delete(webhookId);
    }

    @POST
    @Path("/{webhookId}/rotate-secret")
    @Operation(operationId = "rotateWebhookSecret", summary = "Give the endpoint a new secret",
            description = "The previous secret keeps signing beside the new one (two signatures) until "
                    + "previousSecretUntil, 24 hours.")
    @APIResponse(responseCode = "200", description = "The new secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookSecret.class)))
    @APIResponse(responseCode = "404", description = "webhook_not_found")
    public Uni<WebhookSecret> rotate(@PathParam("webhookId") String webhookId) {
        return webhooks.rotate(webhookId);
    }

    @GET
    @Path("/{webhookId}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's delivery log: every attempt, newest "
            + "first, paginated")
    @APIResponse(responseCode = "200", description = "A page of attempts")
    @APIResponse(responseCode = "404", description = "webhook_not_found")
    public Uni<Page<DeliveryAttempt>> deliveries(@PathParam("webhookId") String webhookId,
            @Parameter(description = "Only attempts of deliveries in this state",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "pending", "delivered", "failed" }))
            @QueryParam("status") String status,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return webhooks.deliveries(webhookId, status, Page.request(limit, cursor));
    }

    @POST
    @Path("/{webhookId}/deliveries/{eventId}/retry")
    @Operation(operationId = "retryWebhookDelivery", summary = "Send the event to the endpoint again now",
            description = "Delivered or failed, the delivery is pending again, with a new retry window.")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "webhook_not_found, delivery_not_found")
    public Uni<Response> retry(@PathParam("webhookId") String webhookId, @PathParam("eventId") String eventId) {
        return webhooks.retry(webhookId, eventId).map(queued -> Response.accepted(queued).build());
    }

    @POST
    @Path("/{webhookId}/replay")
    @Operation(operationId = "replayWebhook", summary = "Send the endpoint's events since a time again",
            description = "Every kept event of the types the endpoint wants, delivered or not, is queued again.")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Replayed.class)))
    @APIResponse(responseCode = "404", description = "webhook_not_found")
    public Uni<Response> replay(@PathParam("webhookId") String webhookId, @Valid @NotNull Replay body) {
        return webhooks.replay(webhookId, body).map(queued -> Response.accepted(queued).build());
    }
}
