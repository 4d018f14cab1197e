package com.acme.subscription.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.acme.subscription.common.error.Problem;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * A problem answered on a console path is a page, not the API's JSON: people read the console. This
 * is what reaches them when the database is out (a page or an action that could not be served), an
 * address that is no page (a mistyped one, or a form's own address opened by hand), or a post that
 * is no form. Not bound to the console's resources: an address that matches none has no resource.
 */
public class ConsoleProblemPage {

    private final Template page;

    public ConsoleProblemPage(@Location("console/problem.html") Template page) {
        this.page = page;
    }

    @ServerResponseFilter
    public void asPage(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && isConsole(request.getUriInfo().getPath())) {
            response.setEntity(page.data("title", problem.title()).data("message", ConsoleMessages.of(problem)).render(),
                    null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        }
    }

    private static boolean isConsole(String path) {
        return path.equals(ConsoleMode.PATH) || path.startsWith(ConsoleMode.PATH + "/");
    }
}
