package com.acme.subscription.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request that carries {@value #ASK} with the class of the authentication failure
 * handler that authorization would call, as the request holds it once every security filter before
 * authorization has run (priority 150, between Quarkus REST's 199 and authorization's 100).
 */
@ApplicationScoped
public class AuthFailureHandlerProbe {

    public static final String ASK = "X-Test-Ask-Auth-Failure-Handler";
    public static final String ANSWER = "X-Test-Auth-Failure-Handler";

    void register(@Observes Filters filters) {
        filters.register(AuthFailureHandlerProbe::answer, 150);
    }

    private static void answer(RoutingContext request) {
        if (request.request().headers().contains(ASK)) {
            Object handler = request.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
            request.response().putHeader(ANSWER, handler == null ? "none" : handler.getClass().getName());
        }
        request.next();
    }
}
