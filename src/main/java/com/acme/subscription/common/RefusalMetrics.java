package com.acme.subscription.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.acme.subscription.common.error.HttpLayerRefusals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;

/**
 * The http_server_requests series of the refusals made before a request meets its route: 405 (a
 * GET where only POST is served), 406, 413 and 415 carry the raw path as their {@code uri}, so anyone
 * could add a series per path sent, up to Micrometer's cap of 100 {@code uri} values, after which
 * the service's own routes would go unmeasured. They are counted under {@code uri="UNKNOWN"}.
 * (Quarkus' suppress4xx-errors would do it for every error of every route without a path parameter.)
 * So is the 400 Quarkus gives a URL it cannot parse (a {@code %} not followed by two hexadecimal
 * digits, a raw {@code |}, in the path or the query), and the one {@link HttpLayerRefusals} gives a path
 * with a {@code ..} segment: their series too would be named by the raw path.
 */
@Singleton
public class RefusalMetrics implements HttpServerMetricsTagsContributor {

    static final Set<String> BEFORE_ROUTING = Set.of("405", "406", "413", "415");
    private static final Tags UNKNOWN_URI = Tags.of("uri", "UNKNOWN");

    /** Called for every response, so it looks at the URL only for a 400. A later tag of the same key wins. */
    @Override
    public Tags contribute(Context context) {
        if (context.response().statusCode() != 400
                || parses(context.request().uri()) && !HttpLayerRefusals.hasDotSegment(context.request().path())) {
            return Tags.empty();
        }
        return UNKNOWN_URI;
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

    @Produces
    @Singleton
    MeterFilter refusalsBeforeRouting() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("http.server.requests") && BEFORE_ROUTING.contains(id.getTag("status"))) {
                    return id.replaceTags(Tags.of(id.getTagsAsIterable()).and("uri", "UNKNOWN"));
                }
                return id;
            }
        };
    }
}
