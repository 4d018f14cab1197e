package com.acme.subscription.entitlement;

import java.util.regex.Pattern;

import com.acme.subscription.common.error.ApiException;

/** An amount of units: an integer from 1 to 1,000,000 (docs/usage.md). */
public final class Amount {

    public static final int MAX = 1_000_000;
    /** {@link #MAX} for the OpenAPI schemas' {@code maximum}. */
    public static final String MAX_TEXT = "" + MAX;
    public static final String RULE = "must be an integer from 1 to " + MAX_TEXT;

    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,6}");

    private Amount() {
    }

    /** Parses a query parameter strictly: "1.0", "+1", "01" and "x" are refused. */
    public static int parse(String raw, String field) {
        if (raw == null) {
            return 1;
        }
        if (!DIGITS.matcher(raw).matches()) {
            throw ApiException.invalid(field, RULE);
        }
        return require(Integer.parseInt(raw), field);
    }

    /** {@code value} if it is an amount; 400 validation_failed on {@code field} if not. */
    public static int require(int value, String field) {
        if (!valid(value)) {
            throw ApiException.invalid(field, RULE);
        }
        return value;
    }

    public static boolean valid(int value) {
        return value >= 1 && value <= MAX;
    }
}
