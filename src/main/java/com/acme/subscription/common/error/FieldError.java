package com.acme.subscription.common.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One field to blame in a {@code validation_failed} problem. */
@RegisterForReflection
@Schema(name = "FieldError", requiredProperties = { "field", "message" })
public record FieldError(
        @Schema(description = "The field (a JSON path such as limit or items[0].code), query parameter or header; "
                + "body when the whole body is to blame") String field,
        @Schema(description = "What is wrong with it") String message) {
}
