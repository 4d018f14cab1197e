package com.acme.subscription.ofrep;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The key is neither a feature nor {@code tier} (404). */
@Schema(name = "OfrepFlagNotFound", description = "No feature has this id (OFREP flagNotFound).")
@JsonPropertyOrder({ "key", "errorCode", "errorDetails" })
@RegisterForReflection
public record FlagNotFound(
        @Schema(required = true) String key,
        @Schema(required = true, enumeration = OfrepFailure.FLAG_NOT_FOUND) String errorCode,
        @Schema(required = true) String errorDetails) {
}
