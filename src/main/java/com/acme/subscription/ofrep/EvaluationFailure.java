package com.acme.subscription.ofrep;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A single evaluation refused for its request (400). */
@Schema(name = "OfrepEvaluationFailure", description = "The request could not be evaluated (OFREP evaluationFailure).")
@JsonPropertyOrder({ "key", "errorCode", "errorDetails" })
@RegisterForReflection
public record EvaluationFailure(
        @Schema(required = true, description = "The flag key of the request") String key,
        @Schema(required = true, enumeration = { OfrepFailure.PARSE_ERROR, OfrepFailure.TARGETING_KEY_MISSING,
                OfrepFailure.INVALID_CONTEXT }, description = "PARSE_ERROR: the body is not a JSON object; "
                        + "TARGETING_KEY_MISSING: no context.targetingKey; INVALID_CONTEXT: targetingKey is not a "
                        + "profile or not a string, or amount is not an integer from 1 to 1000000") String errorCode,
        @Schema(required = true, description = "What is wrong, for people") String errorDetails) {
}
