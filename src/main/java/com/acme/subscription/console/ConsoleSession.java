package com.acme.subscription.console;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * Signing out. With a provider, quarkus-oidc answers {@code /console/sign-out} itself (it ends the
 * session and sends the browser through the provider's logout to {@code /console/signed-out});
 * with the dev sign-in, this resource drops the dev cookie.
 */
@ConsoleEndpoint
@Path("/console")
@PermitAll // admitted by ConsoleAccess
public class ConsoleSession {

    private final Template signedOut;

    public ConsoleSession(@Location("console/signed-out.html") Template signedOut) {
        this.signedOut = signedOut;
    }

    @GET
    @Path("/sign-out")
    public Response signOut() {
        NewCookie expired = new NewCookie.Builder(DevSignIn.COOKIE).value("").path(ConsoleMode.PATH).maxAge(0)
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create(ConsoleMode.SIGNED_OUT)).cookie(expired).build();
    }

    @GET
    @Path("/signed-out")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance signedOut() {
        return signedOut.instance();
    }
}
