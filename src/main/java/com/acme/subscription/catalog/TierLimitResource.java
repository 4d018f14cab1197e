package com.acme.subscription.catalog;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/tier-limits")
@Tag(name = "catalog")
@Authenticated
public class TierLimitResource {

    private final TierLimitService limits;

    public TierLimitResource(TierLimitService limits) {
        this.limits = limits;
    }

    @GET
    @Operation(operationId = "getTierLimits", summary = "The tier x feature matrix", description = "A cell without a tier limit is absent "
            + "(the feature's defaultLimit applies); null means unlimited, 0 disabled.")
    public Uni<TierLimitMatrix> matrix() {
        return limits.matrix();
    }
}
