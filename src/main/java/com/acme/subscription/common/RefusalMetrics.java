package com.acme.subscription.common;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.inject.Singleton;

import com.acme.subscription.common.error.HttpLayerRefusals;

import io.micrometer.core.instrument.Tags;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;

/**
 * The http_server_requests series of the refusals made before a request meets its route: 405 (a
 * GET where only POST is served), 406, 413 and 415, the 400 Quarkus gives a URL it cannot parse (a
 * {@code %} not followed by two hexadecimal digits, a raw {@code |}, in the path or the query), and
 * the 400 {@link HttpLayerRefusals} gives a path with a {@code ..} segment. They carry the raw path as
 * their {@code uri}, so anyone could add a series per path sent, up to Micrometer's cap of 100
 * {@code uri} values, after which the service's own routes would go unmeasured. They are counted
 * under {@code uri="UNKNOWN"}. (Quarkus' suppress4xx-errors would do it for every error of every
 * route without a path parameter.)
 */
@Singleton
public class RefusalMetrics implements HttpServerMetricsTagsContributor {

    private static final Tags UNKNOWN_URI = Tags.of("uri", "UNKNOWN");

    /**
     * Called for every response, so it looks at the URL only for a 400. Quarkus adds these tags after
     * its own, and a later tag of the same key wins.
     */
    @Override
    public Tags contribute(Context context) {
        int status = context.response().statusCode();
        boolean unrouted = status == 405 || status == 406 || status == 413 || status == 415 || status == 400
                && (!parses(context.request().uri()) || HttpLayerRefusals.hasDotSegment(context.request().path()));
        return unrouted ? UNKNOWN_URI : Tags.empty();
    }

    /** The check Quarkus makes before routing, which answers 400 when it fails. */
    private static boolean parses(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
