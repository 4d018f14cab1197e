package com.acme.subscription.console;

import java.net.URI;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.common.security.DevTokens;
import com.acme.subscription.common.security.Roles;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Dev mode's way into the console when no OpenID Connect provider is configured: one button signs in
 * as an admin with a token of the dev key, kept in a cookie for /console and checked like any API
 * token. Built into dev and test mode only; the packaged service has neither the page nor the cookie.
 */
@ConsoleEndpoint
@Path(ConsoleMode.DEV_SIGN_IN)
@PermitAll
@IfBuildProfile(anyOf = { "dev", "test" })
public class DevSignIn {

    static final String COOKIE = "console-dev-token";
    static final String SUBJECT = "dev-admin";

    private final DevTokens tokens;
    private final ConsoleMode mode;
    private final Template page;
    private final CsrfToken csrf;

    public DevSignIn(CsrfToken csrf,
            DevTokens tokens, ConsoleMode mode, @Location("console/dev-sign-in.html") Template page) {
        this.csrf = csrf;
        this.tokens = tokens;
        this.mode = mode;
        this.page = page;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        requireAvailable();
        return page.instance();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam(CsrfToken.NAME) String csrfToken) {
        csrf.verify(csrfToken);
        requireAvailable();
        NewCookie cookie = new NewCookie.Builder(COOKIE).value(tokens.mint(Roles.ADMIN, SUBJECT)).path(ConsoleMode.PATH)
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create(ConsoleMode.PATH)).cookie(cookie).build();
    }

    private void requireAvailable() {
        if (!mode.devSignIn()) {
            throw new jakarta.ws.rs.NotFoundException();
        }
    }

    /** Reads the dev sign-in's cookie on console paths; the API's own bearer mechanism checks the token. */
    @ApplicationScoped
    @IfBuildProfile(anyOf = { "dev", "test" })
    public static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
            Cookie cookie = context.request().getCookie(COOKIE);
            if (cookie == null || !context.normalizedPath().startsWith(ConsoleMode.PATH)) {
                return Uni.createFrom().nullItem();
            }
            return identities.authenticate(new TokenAuthenticationRequest(new JsonWebTokenCredential(cookie.getValue())));
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            return Uni.createFrom().nullItem();
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(TokenAuthenticationRequest.class);
        }
    }
}
