package com.acme.subscription.common;

/** Identifier rules of the API (docs/conventions.md). */
public final class Ids {

    /** The longest profile id (registration's rule). */
    public static final int PROFILE_ID_MAX = 128;

    /** The longest feature or tier id. */
    public static final int CATALOG_ID_MAX = 64;

    /** Feature and tier ids: lower-case, case-sensitive, at most {@link #CATALOG_ID_MAX} characters. */
    public static final String CATALOG_ID = "[a-z][a-z0-9_]{0," + (CATALOG_ID_MAX - 1) + "}";
    public static final String CATALOG_ID_MESSAGE = "must match " + CATALOG_ID;

    /**
     * Whether {@code id} may name a feature or tier: a longer one names none, and is answered as
     * unknown before a row keyed by it is written (it would not even fit the key's index).
     */
    public static boolean mayBeCatalogId(String id) {
        return id.length() <= CATALOG_ID_MAX;
    }

    /** Whether {@code id} may name a profile: a longer one names none. */
    public static boolean mayBeProfileId(String id) {
        return id.length() <= PROFILE_ID_MAX;
    }

    private Ids() {
    }
}
