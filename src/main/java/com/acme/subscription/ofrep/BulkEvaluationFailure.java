package com.acme.subscription.ofrep;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A bulk evaluation refused as a whole (400): it concerns no one flag, so it has no key. */
@Schema(name = "OfrepBulkEvaluationFailure", description = "The request could not be evaluated "
        + "(OFREP bulkEvaluationFailure).")
@JsonPropertyOrder({ "errorCode", "errorDetails" })
@RegisterForReflection
public record BulkEvaluationFailure(
        @Schema(required = true, enumeration = { OfrepFailure.PARSE_ERROR, OfrepFailure.TARGETING_KEY_MISSING,
                OfrepFailure.INVALID_CONTEXT }) String errorCode,
        @Schema(required = true) String errorDetails) {
}
