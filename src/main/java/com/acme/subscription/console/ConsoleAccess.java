package com.acme.subscription.console;

import java.net.URI;
import java.security.SecureRandom;
import java.util.stream.Collectors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.acme.subscription.common.security.Roles;

import io.quarkus.qute.Template;
import io.quarkus.qute.Location;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who gets into the console: the admin group only. Console resources are {@code @PermitAll} for the
 * JAX-RS layer because a refusal here is a page (the 403 page, the sign-in), never the API's
 * problem+json; this filter is what admits them. Without a provider and outside dev/test mode the
 * console does not exist (404). Its filters are bound to {@link ConsoleEndpoint}: the API's requests
 * never pass through them.
 */
public class ConsoleAccess {

    /** The name Quarkus OIDC gives its session cookie (and the prefix of its chunks). */
    private static final String OIDC_SESSION = "q_session";
    /** Fetch Metadata: where the browser says a request comes from. */
    private static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

    private final CurrentIdentityAssociation identity;
    private final SignedIn signedIn;
    private final ConsoleMode mode;
    private final CsrfToken csrf;
    private final SecureRandom random = new SecureRandom();
    private final Template forbidden;
    private final Template formRefused;

    public ConsoleAccess(CurrentIdentityAssociation identity, SignedIn signedIn,
            ConsoleMode mode, CsrfToken csrf, @Location("console/forbidden.html") Template forbidden,
            @Location("console/form-refused.html") Template formRefused) {
        this.identity = identity;
        this.signedIn = signedIn;
        this.mode = mode;
        this.csrf = csrf;
        this.forbidden = forbidden;
        this.formRefused = formRefused;
    }

    @ServerRequestFilter
    @ConsoleEndpoint
    public Uni<Response> admit(UriInfo uri, HttpServerRequest request) {
        if (!mode.enabled()) {
            return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("Not found: the console needs an OpenID Connect provider (QUARKUS_OIDC_AUTH_SERVER_URL).")
                    .build());
        }
        Cookie cookie = request.getCookie(CsrfToken.NAME);
        csrf.load(cookie == null ? null : cookie.getValue(), session(request), request.getHeader(SEC_FETCH_SITE), random);
        String path = uri.getPath();
        if (path.equals(ConsoleMode.SIGNED_OUT) || path.equals(ConsoleMode.DEV_SIGN_IN)) {
            return null;
        }
        return identity.getDeferredIdentity().map(who -> {
            if (who.isAnonymous()) {
                // with a provider, Quarkus has already sent the browser to it; here only the dev sign-in is left
                return Response.seeOther(URI.create(ConsoleMode.DEV_SIGN_IN)).build();
            }
            if (!who.hasRole(Roles.ADMIN)) {
                return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .entity(forbidden.data("user", ConsoleUser.of(who), "devSignIn", mode.devSignIn()).render())
                        .build();
            }
            signedIn.admit(who);
            return null;
        });
    }

    /**
     * The values of the cookies that hold the browser's session, in name order: the provider's session
     * (Quarkus OIDC's {@code q_session}, split into chunks when large) or the dev sign-in's. Empty
     * before sign-in. Each read as Quarkus OIDC reads it, through Vert.x, where the first of two
     * cookies of one name wins: a second one planted (say with Path=/ from a sibling sub-domain,
     * which browsers send after the console's own) is not the session the request signs in with,
     * so it cannot be the one the token is checked against either.
     */
    static String session(HttpServerRequest request) {
        return request.cookies().stream().map(Cookie::getName)
                .filter(name -> name.startsWith(OIDC_SESSION) || name.equals(DevSignIn.COOKIE))
                .distinct().sorted()
                .map(name -> name + "=" + request.getCookie(name).getValue())
                .collect(Collectors.joining(";"));
    }

    /** A console response carries the CSRF cookie the request lacked. */
    @ServerResponseFilter
    @ConsoleEndpoint
    public void issueToken(ContainerRequestContext request, ContainerResponseContext response) {
        if (csrf.issued()) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, new NewCookie.Builder(CsrfToken.NAME).value(csrf.getToken())
                    .path(ConsoleMode.PATH).maxAge((int) CsrfToken.MAX_AGE_SECONDS).httpOnly(true)
                    .secure("https".equals(request.getUriInfo().getRequestUri().getScheme()))
                    .sameSite(NewCookie.SameSite.STRICT).build());
        }
    }

    /**
     * A form without its token (or with a stale one): a page that says what happened, usually a form
     * left open longer than its token; nothing was changed.
     */
    @ServerExceptionMapper
    public Response refuseForm(CsrfToken.FormRefused refused) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(formRefused.instance().render()).build();
    }
}
