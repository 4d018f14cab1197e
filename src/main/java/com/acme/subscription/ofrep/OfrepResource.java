package com.acme.subscription.ofrep;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.acme.subscription.common.error.Problem;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The OpenFeature Remote Evaluation Protocol: any OpenFeature SDK's OFREP provider evaluates a
 * profile's entitlements as flags. OFREP fixes these paths (its providers append them to a base
 * URL), so they live beside the API's base path, not under it.
 */
@Path(OfrepResource.PATH)
@Tag(name = "ofrep", description = "OpenFeature Remote Evaluation Protocol (OFREP): the entitlement check as feature "
        + "flags for any OpenFeature SDK's OFREP provider. The context's targetingKey is the profile id; a flag key is "
        + "a feature id (a boolean: allowed) or tier (a string: the effective tier id). Errors of the request have "
        + "OFREP's own bodies; 401, 403 and 503 are problems like everywhere else.")
@RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
// the same for both evaluations: the service's own problems, as on every other path
@APIResponse(responseCode = "401", description = "unauthorized: no valid bearer token", headers = @Header(
        name = HttpHeaders.WWW_AUTHENTICATE, schema = @Schema(type = SchemaType.STRING)), content = @Content(
                mediaType = OfrepResource.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "forbidden: a user token evaluating another profile",
        content = @Content(mediaType = OfrepResource.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "unavailable: the database cannot be reached",
        content = @Content(mediaType = OfrepResource.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class OfrepResource {

    /** Where OFREP providers send evaluations: base URL + this (+ "/{key}" for one flag). */
    public static final String PATH = "/ofrep/v1/evaluate/flags";

    static final String PROBLEM_JSON = "application/problem+json";
    /** OFREP providers differ in the Content-Type they send; the body is JSON whatever they say. */
    private static final String READ_AS_JSON = "The evaluation context, read as JSON whatever the Content-Type";

    private final OfrepService ofrep;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public OfrepResource(OfrepService ofrep, SecurityIdentity identity, ObjectMapper json) {
        this.ofrep = ofrep;
        this.identity = identity;
        this.json = json;
    }

    @POST
    @Path("/{key}")
    @Operation(operationId = "evaluateFlag", summary = "Evaluate one flag for a profile", description = "A feature id "
            + "evaluates to the check's allowed for context.amount (default 1), with variant allowed or the denial "
            + "reason; the key tier to the effective tier id. Changes nothing: consuming stays POST .../consume.")
    @RequestBody(required = true, description = READ_AS_JSON, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationRequest.class)),
            @Content(mediaType = MediaType.WILDCARD, schema = @Schema(implementation = EvaluationRequest.class)) })
    @APIResponse(responseCode = "200", description = "The flag", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FlagEvaluation.class)))
    @APIResponse(responseCode = "400", description = "PARSE_ERROR, TARGETING_KEY_MISSING or INVALID_CONTEXT (no such "
            + "profile, bad amount)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EvaluationFailure.class)))
    @APIResponse(responseCode = "404", description = "FLAG_NOT_FOUND: no feature has this id", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FlagNotFound.class)))
    public Uni<FlagEvaluation> evaluateFlag(@Parameter(description = "A feature id, or tier") @PathParam("key") String key,
            String body) {
        EvaluationRequest.Target target = EvaluationRequest.read(body, key, json);
        Caller.of(identity).requireProfile(target.profileId());
        return ofrep.evaluate(key, target.profileId(), target.amount());
    }

    @POST
    @Operation(operationId = "evaluateFlags", summary = "Evaluate every flag for a profile", description = "tier and "
            + "every active feature, each as one evaluation would answer it, with an ETag. Send the ETag back as "
            + "If-None-Match: while every answer is still the same, the answer is 304 without a body. Changes nothing.")
    @RequestBody(required = true, description = READ_AS_JSON, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationRequest.class)),
            @Content(mediaType = MediaType.WILDCARD, schema = @Schema(implementation = EvaluationRequest.class)) })
    @APIResponse(responseCode = "200", description = "Every flag", headers = @Header(name = HttpHeaders.ETAG,
            required = true, description = "Changes whenever any flag's value, variant or metadata does",
            schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BulkEvaluation.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match named the current ETag: nothing changed (no body)",
            headers = @Header(name = HttpHeaders.ETAG, required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "PARSE_ERROR, TARGETING_KEY_MISSING or INVALID_CONTEXT (no such "
            + "profile, bad amount)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BulkEvaluationFailure.class)))
    public Uni<Response> evaluateFlags(
            @Parameter(description = "The ETag of an earlier answer (or several, or *)")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            String body) {
        EvaluationRequest.Target target = EvaluationRequest.read(body, null, json);
        Caller.of(identity).requireProfile(target.profileId());
        return ofrep.evaluateAll(target.profileId(), target.amount()).map(flags -> {
            byte[] bytes = serialize(flags);
            String etag = ETags.of(bytes);
            Response.ResponseBuilder response = ETags.matches(ifNoneMatch, etag) ? Response.notModified()
                    : Response.ok(bytes, MediaType.APPLICATION_JSON_TYPE);
            return response.header(HttpHeaders.ETAG, etag).build();
        });
    }

    /** OFREP's error bodies, for this resource only: everything else keeps the service's problems. */
    @ServerExceptionMapper
    public Response failed(OfrepFailure failure) {
        return failure.toResponse();
    }

    private byte[] serialize(BulkEvaluation flags) {
        try {
            return json.writeValueAsBytes(flags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
