package com.acme.subscription.common.error;

/** One field to blame in a {@code validation_failed} problem. */
public record FieldError(String field, String message) {
}
