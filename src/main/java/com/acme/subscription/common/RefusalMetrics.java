package com.acme.subscription.common;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The http_server_requests series of the refusals made before a request meets its route: 405 (a
 * GET where only POST is served), 406, 413 and 415 carry the raw path as their {@code uri}, so anyone
 * could add a series per path sent, up to Micrometer's cap of 100 {@code uri} values, after which
 * the service's own routes would go unmeasured. They are counted under {@code uri="UNKNOWN"}.
 * (Quarkus' suppress4xx-errors would do it for every error of every route without a path parameter.)
 */
@Singleton
public class RefusalMetrics {

    static final Set<String> BEFORE_ROUTING = Set.of("405", "406", "413", "415");

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
