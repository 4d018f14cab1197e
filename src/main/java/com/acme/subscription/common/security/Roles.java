package com.acme.subscription.common.security;

/** The roles of the {@code groups} claim (docs/security.md). */
public final class Roles {

    /** Everything. */
    public static final String ADMIN = "admin";
    /** The trusted backend that owns the users: everything profile-scoped, no catalog administration. */
    public static final String SERVICE = "service";
    /** An end user; {@code sub} is its profile id. */
    public static final String USER = "user";

    private Roles() {
    }
}
