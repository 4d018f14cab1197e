package com.acme.subscription.common.error;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** RFC 9457 problem details with this service's stable {@code code} slug. */
@RegisterForReflection
@Schema(name = "Problem", description = "RFC 9457 problem details: every error of this API. `code` is stable; "
        + "branch on it, not on title or detail.", requiredProperties = { "type", "title", "status", "code" },
        properties = {
                @SchemaProperty(name = "errors", type = SchemaType.ARRAY, implementation = FieldError.class,
                        description = "validation_failed: the fields to blame"),
                @SchemaProperty(name = "retryAfter", type = SchemaType.INTEGER, minimum = "1",
                        description = "too_many_attempts: seconds until another attempt may succeed (also the "
                                + "Retry-After header)"),
                @SchemaProperty(name = "entitlement", ref = "Check",
                        description = "A refused consume (limit_exceeded, feature_disabled, email_not_verified, "
                                + "access_disabled): the check as it stands"),
                @SchemaProperty(name = "redemptionCount", type = SchemaType.INTEGER, minimum = "0",
                        description = "max_redemptions_below_count: how many times the coupon was redeemed") })
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "title", "status", "detail", "instance", "code" })
public record Problem(
        @Schema(description = "URI of the problem type, urn:problem-type:<code with dashes>") String type,
        @Schema(description = "Short summary of the status, in words") String title,
        @Schema(description = "The HTTP status") int status,
        @Schema(description = "What went wrong, for a person") String detail,
        @Schema(description = "The path of the request") String instance,
        @Schema(description = "Stable snake_case slug", pattern = "^[a-z][a-z0-9_]*$") String code,
        @Schema(hidden = true) @JsonAnyGetter Map<String, Object> extensions) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");
    public static final String VALIDATION_FAILED = "validation_failed";

    public static Problem of(int status, String code, String detail, String instance, Map<String, Object> extensions) {
        return new Problem("urn:problem-type:" + code.replace('_', '-'), title(status), status, detail, instance, code,
                new LinkedHashMap<>(extensions));
    }

    /** The status in words, for the statuses Jakarta REST has no phrase for too. */
    static String title(int status) {
        if (status == 422) {
            return "Unprocessable Content";
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : status >= 500 ? "Server Error" : "Client Error";
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
