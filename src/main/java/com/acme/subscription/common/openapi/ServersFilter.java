package com.acme.subscription.common.openapi;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The document's server is the API port this service listens on, read when it starts: Swagger UI
 * (on the management port) and a generated client's default address then reach the API, where a
 * port fixed at build time (8080) would not whenever QUARKUS_HTTP_PORT says otherwise.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class ServersFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI api) {
        String port = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int listening = ConfigProvider.getConfig().getOptionalValue(port, Integer.class).orElse(8080);
        api.setServers(List.of(OASFactory.createServer().url("http://localhost:" + listening)
                .description("This service's API port on this machine (QUARKUS_HTTP_PORT); behind an ingress, "
                        + "use its address")));
    }
}
