package com.acme.subscription.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request that carries {@value #ASK} with the class of the authentication failure
 * handler that authorization would call, as the request holds it once every security filter before
 * authorization has run (priority 150, between Quarkus REST's 199 and authorization's 100), and
 * with {@value #ANSWER_AT_ROUTES} the one it still holds after every filter (priority 1), where
 * Quarkus REST takes over.
 */
@ApplicationScoped
public class AuthFailureHandlerProbe {

    public static final String ASK = "X-Test-Ask-Auth-Failure-Handler";
    public static final String ANSWER = "X-Test-Auth-Failure-Handler";
    /** The handler the request still holds once every security filter has run, as it reaches the routes. */
    public static final String ANSWER_AT_ROUTES = "X-Test-Auth-Failure-Handler-At-Routes";

    void register(@Observes Filters filters) {
        filters.register(request -> answer(request, ANSWER), 150);
        filters.register(request -> answer(request, ANSWER_AT_ROUTES), 1);
    }

    private static void answer(RoutingContext request, String header) {
        if (request.request().headers().contains(ASK)) {
            Object handler = request.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
            request.response().putHeader(header, handler == null ? "none" : handler.getClass().getName());
        }
        request.next();
    }
}
