package com.acme.subscription.common.error;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * Refusals made before authentication and routing, as problems like every other:
 * <ul>
 * <li>a path with a {@code .} or {@code ..} segment ({@code %2e} spelt or not) is 400, not resolved:
 * Vert.x would route {@code DELETE /tiers/t/limits/%2e%2e} as {@code DELETE /tiers/t}, an operation
 * other than the one a gateway checked the request against (no API path has such a segment);</li>
 * <li>a body announced larger than {@code quarkus.http.limits.max-body-size} is 413
 * {@code payload_too_large}, where Quarkus' own check (which runs after this one) would answer it
 * with no body.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpLayerRefusals {

    /** Before authentication (200): nothing else is done for such a request. */
    static final int PRIORITY = 1000;

    private final ObjectMapper json;
    private final long maxBodySize;

    public HttpLayerRefusals(ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize) {
        this.json = json;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::refuse, PRIORITY);
    }

    private void refuse(RoutingContext request) {
        String path = request.request().path();
        if (hasDotSegment(path)) {
            answer(request, Problem.of(400, Problem.VALIDATION_FAILED, "The request is not valid.", path, Map.of("errors",
                    List.of(new FieldError("url", "has a '.' or '..' segment; name the resource itself")))));
        } else if (tooLarge(request.request().getHeader(HttpHeaderNames.CONTENT_LENGTH))) {
            // the body is not read: the connection is closed once the answer is sent (as Quarkus' own
            // check does), or the client would go on sending, and the service reading, the whole body
            request.response().putHeader(HttpHeaderNames.CONNECTION, "close")
                    .endHandler(sent -> request.request().connection().close());
            answer(request, Problem.of(413, "payload_too_large",
                    "The request body is larger than the " + maxBodySize + " bytes the service takes.", path, Map.of()));
        } else {
            request.next();
        }
    }

    private boolean tooLarge(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.strip()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses it itself
        }
    }

    private void answer(RoutingContext request, Problem problem) {
        try {
            request.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE.toString())
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            request.fail(e);
        }
    }

    /** Whether the raw path has a segment that is {@code .} or {@code ..}, escaped or not. */
    public static boolean hasDotSegment(String rawPath) {
        // a dot segment starts right after a slash: most paths, dotted ids included, end here
        if (rawPath == null || !rawPath.contains("/.") && !rawPath.contains("/%2")) {
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
