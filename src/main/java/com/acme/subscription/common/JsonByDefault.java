package com.acme.subscription.common;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The API speaks JSON only: a request without a Content-Type (say {@code curl -X POST} of a
 * consume, whose missing body means an amount of 1) is read as JSON instead of refused with 415.
 */
public class JsonByDefault {

    @ServerRequestFilter(preMatching = true)
    public void defaultToJson(ContainerRequestContext request) {
        // GET is the hot path (checks) and has no body: reading a header builds the whole header map
        if (HttpMethod.GET.equals(request.getMethod())) {
            return;
        }
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
