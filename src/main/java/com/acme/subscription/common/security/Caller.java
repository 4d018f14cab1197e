package com.acme.subscription.common.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.acme.subscription.common.error.ApiException;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is calling, and what a profile-scoped endpoint lets it see (docs/security.md). */
public record Caller(String subject, boolean admin, boolean service, boolean user) {

    public static Caller of(SecurityIdentity identity) {
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        return new Caller(subject, identity.hasRole(Roles.ADMIN), identity.hasRole(Roles.SERVICE),
                identity.hasRole(Roles.USER));
    }

    /** Admins and the service may act on any profile; a user only on its own (else 403, never 404). */
    public Caller requireProfile(String profileId) {
        if (admin || service || (user && subject.equals(profileId))) {
            return this;
        }
        throw ApiException.forbidden("This token may only access its own profile.");
    }
}
