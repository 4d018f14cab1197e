package com.acme.subscription.console;

import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * A list page with one item selected by a query parameter (a coupon's redemptions, an endpoint's
 * deliveries): an unknown selection is said on the page, which still shows the list, and the page
 * answers the status the API would for it (404, 400); an action's refusal keeps its own status.
 */
final class Selection {

    private Selection() {
    }

    static Uni<Response> page(TemplateInstance page, Uni<Void> selected, Function<String, Shell> shell, String error,
            Response.Status status) {
        return selected.map(loaded -> (Throwable) null)
                .onFailure(ConsoleMessages::isRefusal).recoverWithItem(refusal -> refusal)
                .map(refusal -> {
                    page.data("shell", shell.apply(refusal == null ? error : ConsoleMessages.of(refusal)));
                    int code = refusal != null && status == Response.Status.OK ? ConsoleMessages.status(refusal)
                            : status.getStatusCode();
                    return Response.status(code).entity(page).build();
                });
    }
}
