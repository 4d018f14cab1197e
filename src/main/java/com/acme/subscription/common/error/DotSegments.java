package com.acme.subscription.common.error;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * A path with a {@code .} or {@code ..} segment ({@code %2e} spelt or not) is refused with 400, not
 * resolved: Vert.x would route {@code DELETE /tiers/t/limits/%2e%2e} as {@code DELETE /tiers/t}, an
 * operation other than the one a gateway checked the request against. No API path has such a segment.
 */
@ApplicationScoped
public class DotSegments {

    /** Before authentication (200): nothing else is done for such a request. */
    static final int PRIORITY = 1000;

    private final ObjectMapper json;

    public DotSegments(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::refuse, PRIORITY);
    }

    private void refuse(RoutingContext request) {
        String path = request.request().path();
        if (!in(path)) {
            request.next();
            return;
        }
        Problem problem = Problem.of(400, Problem.VALIDATION_FAILED, "The request is not valid.", path, Map.of("errors",
                List.of(new FieldError("url", "has a '.' or '..' segment; name the resource itself"))));
        try {
            request.response().setStatusCode(400)
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE.toString())
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            request.fail(e);
        }
    }

    /** Whether the raw path has a segment that is {@code .} or {@code ..}, escaped or not. */
    public static boolean in(String rawPath) {
        if (rawPath == null || rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
