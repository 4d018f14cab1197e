package com.acme.subscription.entitlement;

import com.acme.subscription.common.error.ApiException;

/** An amount of units: an integer from 1 to 1,000,000 (docs/usage.md). */
public final class Amount {

    public static final int MAX = 1_000_000;
    public static final String RULE = "must be an integer from 1 to 1000000";

    private Amount() {
    }

    /** Parses a query parameter strictly: "1.0", "+1", "01" and "x" are refused. */
    public static int parse(String raw, String field) {
        if (raw == null) {
            return 1;
        }
        if (!raw.matches("[1-9][0-9]{0,6}") || Integer.parseInt(raw) > MAX) {
            throw ApiException.invalid(field, RULE);
        }
        return Integer.parseInt(raw);
    }
}
