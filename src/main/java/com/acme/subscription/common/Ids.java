package com.acme.subscription.common;

/** Identifier rules of the API (docs/conventions.md). */
public final class Ids {

    /** Feature and tier ids: lower-case, case-sensitive, at most 64 characters. */
    public static final String CATALOG_ID = "[a-z][a-z0-9_]{0,63}";
    public static final String CATALOG_ID_MESSAGE = "must match " + CATALOG_ID;

    private Ids() {
    }
}
