package com.acme.subscription.common.error;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** RFC 9457 problem details with this service's stable {@code code} slug. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "title", "status", "detail", "instance", "code" })
public record Problem(String type, String title, int status, String detail, String instance, String code,
        @JsonAnyGetter Map<String, Object> extensions) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");
    public static final String VALIDATION_FAILED = "validation_failed";

    public static Problem of(int status, String code, String detail, String instance, Map<String, Object> extensions) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return new Problem("urn:problem-type:" + code.replace('_', '-'), title, status, detail, instance, code,
                new LinkedHashMap<>(extensions));
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
