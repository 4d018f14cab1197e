package com.acme.subscription.console;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import com.acme.subscription.common.Page;
import com.acme.subscription.webhook.WebhookHealth;
import com.acme.subscription.webhook.WebhookService;
import com.acme.subscription.webhook.WebhookView;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Webhook endpoints with how delivery to each stands, one endpoint's delivery log, and sending a
 * delivery again. Creating endpoints stays in the API: it answers the signing secret once, which a
 * page would have to show and then forget. {@code GET /console/webhooks} only (the CSRF cookie is made
 * on that exact path): the selected endpoint and the status filter are query parameters.
 */
@ConsoleEndpoint
@Path("/console/webhooks")
@PermitAll // admitted by ConsoleAccess: admins only, refusals as pages
public class WebhooksPage {

    static final int ATTEMPTS_SHOWN = 50;
    static final List<String> STATUSES = List.of("pending", "delivered", "failed");

    /** An endpoint as the list shows it: its settings beside its delivery figures. */
    public record Endpoint(WebhookView webhook, WebhookHealth health) {

        public String types() {
            return webhook.eventTypes().isEmpty() ? "every type" : String.join(", ", webhook.eventTypes());
        }
    }

    private final WebhookService webhooks;
    private final SignedIn signedIn;
    private final Template page;
    private final CsrfToken csrf;

    public WebhooksPage(CsrfToken csrf,
            WebhookService webhooks, SignedIn signedIn, @Location("console/webhooks.html") Template page) {
        this.csrf = csrf;
        this.webhooks = webhooks;
        this.signedIn = signedIn;
        this.page = page;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@QueryParam("selected") String selected, @QueryParam("status") String status,
            @QueryParam("done") String done) {
        return render(Forms.blankToNull(selected), Forms.blankToNull(status), Notices.sentence(done), null,
                Response.Status.OK);
    }

    @POST
    @Path("/{id}/deliveries/{eventId}/retry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> retry(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @PathParam("eventId") String eventId) {
        csrf.verify(csrfToken);
        return Uni.createFrom().deferred(() -> webhooks.retry(id, eventId))
                .map(queued -> Response.seeOther(uri(id, "delivery_retried")).build())
                .onFailure(ConsoleMessages::isRefusal)
                .recoverWithUni(failure -> render(id, null, null, ConsoleMessages.of(failure), Response.Status.BAD_REQUEST))
                .onFailure().recoverWithUni(failure -> render(id, null, null, ConsoleMessages.of(failure),
                        Response.Status.INTERNAL_SERVER_ERROR));
    }

    private static URI uri(String selected, String done) {
        return UriBuilder.fromPath("/console/webhooks").queryParam("selected", selected).queryParam("done", done).build();
    }

    private Uni<Response> render(String selected, String status, String notice, String error, Response.Status answer) {
        TemplateInstance instance = page.data("statuses", STATUSES).data("status", status == null ? "" : status)
                .data("selected", null).data("attempts", List.of()).data("more", false);
        // one after the other: the endpoints, then their health, then the log (one connection at a time)
        return webhooks.list().chain(list -> webhooks.health().invoke(health -> {
            Map<String, WebhookHealth> byId = health.stream().collect(Collectors.toMap(WebhookHealth::id, Function.identity()));
            instance.data("endpoints", list.stream().map(w -> new Endpoint(w, byId.getOrDefault(w.id(),
                    new WebhookHealth(w.id(), w.url(), w.active(), 0, 0, null)))).toList());
        }))
                .chain(() -> Selection.page(instance, selected == null ? Uni.createFrom().voidItem() : Uni.createFrom()
                        .deferred(() -> webhooks.get(selected))
                        .chain(endpoint -> webhooks.deliveries(selected, status, new Page.Request(ATTEMPTS_SHOWN, Long.MAX_VALUE))
                                .invoke(log -> instance.data("selected", endpoint).data("attempts", log.items())
                                        .data("more", log.nextCursor() != null)))
                        .replaceWithVoid(), said -> signedIn.shell("webhooks", notice, said), error, answer));
    }
}
