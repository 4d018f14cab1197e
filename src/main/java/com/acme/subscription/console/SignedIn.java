package com.acme.subscription.console;

import jakarta.enterprise.context.RequestScoped;

import com.acme.subscription.common.security.Caller;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The admin that {@link ConsoleAccess} admitted for this request. The service authenticates lazily,
 * and a page must not ask for the identity on the event loop: the filter resolves it once and leaves
 * it here for the page.
 */
@RequestScoped
public class SignedIn {

    private SecurityIdentity identity;

    void admit(SecurityIdentity admitted) {
        this.identity = admitted;
    }

    /** Who acts, for the services: its subject goes into the activity entries. */
    Caller caller() {
        return Caller.of(identity);
    }

    Shell shell(String section, String notice, String error) {
        return new Shell(ConsoleUser.of(identity), section, notice, error);
    }
}
