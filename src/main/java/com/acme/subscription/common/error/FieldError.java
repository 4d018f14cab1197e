package com.acme.subscription.common.error;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One field to blame in a {@code validation_failed} problem. */
@RegisterForReflection
public record FieldError(String field, String message) {
}
