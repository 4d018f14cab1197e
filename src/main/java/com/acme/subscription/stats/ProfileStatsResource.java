package com.acme.subscription.stats;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/stats")
@Tag(name = "stats")
public class ProfileStatsResource {

    private final StatsService stats;
    private final SecurityIdentity identity;

    public ProfileStatsResource(StatsService stats, SecurityIdentity identity) {
        this.stats = stats;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "getProfileStats", summary = "The profile's statistics")
    @APIResponse(responseCode = "200", description = "The statistics")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<ProfileStats> get(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return stats.ofProfile(id);
    }
}
