package com.acme.subscription.stats;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.security.Roles;

import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/stats")
@Tag(name = "stats")
public class StatsResource {

    private final StatsService stats;

    public StatsResource(StatsService stats) {
        this.stats = stats;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "getStats", summary = "Service-wide statistics", description = "byTier counts base tiers; usage sums the counters "
            + "of the current period over all profiles.")
    public Uni<ServiceStats> all() {
        return stats.all();
    }
}
