package com.acme.subscription.console;

import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.acme.subscription.common.error.ApiException;

/** What the console's forms share: the API's own validation of the bodies they build, and number fields. */
final class Forms {

    private Forms() {
    }

    /** The input if the API would accept it as a body; else the API's own refusal. */
    static <T> T valid(Validator validator, T input) {
        Set<ConstraintViolation<T>> violations = validator.validate(input);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return input;
    }

    static Integer number(String field, String text) {
        try {
            return Integer.valueOf(required(field, text).strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be a whole number");
        }
    }

    /**
     * A number field that may be left blank (null; for a limit: unlimited), but that the form always
     * sends: a field left out of the post is refused, never read as the blank one.
     */
    static Integer optionalNumber(String field, String text) {
        return required(field, text).isBlank() ? null : number(field, text);
    }

    /** A text field that may be left blank (null), but that the form always sends. */
    static String optionalText(String field, String text) {
        return blankToNull(required(field, text));
    }

    /** A field every form of this action sends: left out, the post was not made by the console's page. */
    static String required(String field, String text) {
        if (text == null) {
            throw ApiException.invalid(field, "is required");
        }
        return text;
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /**
     * A fresh idempotency key for a form that creates something: the form sends it back, so a double
     * click or a resent POST creates one thing, exactly as a retried API call with the same key would.
     */
    static String newKey() {
        return "console-" + UUID.randomUUID();
    }
}
