package com.acme.subscription.common.security;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * Spares every request a request mapper built anew for the HTTP metrics.
 * <p>
 * Right after authentication (priority 199), Quarkus REST swaps the default authentication failure
 * handler for one that fails the request, so that the exception mappers answer a refusal. With
 * metrics on, it first names the request's URI template for the {@code http_server_requests} tag,
 * in case a refusal needs it; naming it builds a request mapper of every resource class, on every
 * request: a tenth of the JVM's time per check. Here requests are refused inside Quarkus REST
 * (authentication is not proactive), which has named the template by then. So this filter, at the authentication's priority and registered after it, puts in a
 * failing handler of its own first, and Quarkus REST leaves it as it is.
 * <p>
 * Past authorization (priority 100), a refusal can only come from Quarkus REST's own security
 * check, which answers it through the exception mappers itself. Quarkus REST removes its own failing
 * handler there; this one is removed at the same point, else such a refusal is answered twice and the
 * second answer is logged as an error ("Response has already been written") for every request with
 * an invalid token.
 * {@code AuthFailureUriTemplateTest} shows that the handler is in place, that refused requests
 * are still counted under their template, and that they are answered once.
 */
@ApplicationScoped
public class AuthFailureUriTemplate {

    /** The priority of Quarkus' authentication filter: filters of one priority run in the order registered. */
    static final int AUTHENTICATION = 200;

    /** The priority of Quarkus' authorization filter (HTTP permissions). */
    static final int AUTHORIZATION = 100;

    /** It keeps no state: one for all requests. */
    private static final FailRequest FAIL_REQUEST = new FailRequest();

    void register(@Observes Filters filters) {
        filters.register(AuthFailureUriTemplate::failRefusals, AUTHENTICATION);
        filters.register(AuthFailureUriTemplate::leaveRefusalsToQuarkusRest, AUTHORIZATION - 1);
    }

    private static void failRefusals(RoutingContext request) {
        if (request.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
            request.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, FAIL_REQUEST);
        }
        request.next();
    }

    private static void leaveRefusalsToQuarkusRest(RoutingContext request) {
        if (request.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) == FAIL_REQUEST) {
            request.remove(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
        }
        request.next();
    }

    /** Fails the request with the refusal, as Quarkus REST's own handler does. */
    static final class FailRequest implements BiConsumer<RoutingContext, Throwable> {

        @Override
        public void accept(RoutingContext request, Throwable failure) {
            DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(request, failure);
            if (!request.failed()) {
                request.fail(DefaultAuthFailureHandler.extractRootCause(failure));
            }
        }
    }
}
