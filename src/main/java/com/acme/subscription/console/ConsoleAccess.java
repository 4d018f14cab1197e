package com.acme.subscription.console;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.acme.subscription.common.security.Roles;

import io.quarkus.qute.Template;
import io.quarkus.qute.Location;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Who gets into the console: the admin group only. Console resources are {@code @PermitAll} for the
 * JAX-RS layer because a refusal here is a page (the 403 page, the sign-in), never the API's
 * problem+json; this filter is what admits them. Without a provider and outside dev/test mode the
 * console does not exist (404).
 */
public class ConsoleAccess {

    static final String PATH = "/console";

    private final CurrentIdentityAssociation identity;
    private final SignedIn signedIn;
    private final boolean providerConfigured;
    private final Instance<DevSignIn> devSignIn;
    private final Template forbidden;

    public ConsoleAccess(CurrentIdentityAssociation identity, SignedIn signedIn,
            @ConfigProperty(name = ConsoleSignInConfigSourceFactory.AUTH_SERVER_URL) Optional<String> authServerUrl,
            Instance<DevSignIn> devSignIn, @Location("console/forbidden.html") Template forbidden) {
        this.identity = identity;
        this.signedIn = signedIn;
        this.providerConfigured = authServerUrl.filter(url -> !url.isBlank()).isPresent();
        this.devSignIn = devSignIn;
        this.forbidden = forbidden;
    }

    /** Signing in with the dev key: dev and test mode, and only while no provider is configured. */
    boolean devSignInAvailable() {
        return !providerConfigured && devSignIn.isResolvable();
    }

    @ServerRequestFilter
    public Uni<Response> admit(UriInfo uri) {
        String path = uri.getPath();
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return null;
        }
        if (!providerConfigured && !devSignIn.isResolvable()) {
            return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("Not found: the console needs an OpenID Connect provider (QUARKUS_OIDC_AUTH_SERVER_URL).")
                    .build());
        }
        if (path.equals(PATH + "/signed-out") || path.startsWith(DevSignIn.PATH)) {
            return null;
        }
        return identity.getDeferredIdentity().map(who -> {
            if (who.isAnonymous()) {
                // with a provider, Quarkus has already sent the browser to it; here only the dev sign-in is left
                return Response.seeOther(URI.create(DevSignIn.PATH)).build();
            }
            if (!who.hasRole(Roles.ADMIN)) {
                return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .entity(forbidden.data("user", ConsoleUser.of(who), "devSignIn", devSignInAvailable()).render())
                        .build();
            }
            signedIn.admit(who);
            return null;
        });
    }
}
