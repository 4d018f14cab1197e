package com.acme.subscription.profile;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.activity.ActivityFilter;
import com.acme.subscription.activity.ActivityResource;
import com.acme.subscription.activity.ActivityService;
import com.acme.subscription.activity.ActivityView;
import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles/{id}/activity")
@Tag(name = "activity")
public class ProfileActivityResource {

    private final ActivityService activity;
    private final ProfileService profiles;
    private final SecurityIdentity identity;

    public ProfileActivityResource(ActivityService activity, ProfileService profiles, SecurityIdentity identity) {
        this.activity = activity;
        this.profiles = profiles;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "listProfileActivity", summary = "The profile's activity, newest first, paginated",
            description = "Every entry that existed at the first page appears exactly once across the pages.")
    @APIResponse(responseCode = "200", description = "A page of activity entries")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<Page<ActivityView>> list(@PathParam("id") String id,
            @Parameter(description = "Only this action, such as coupon_redeemed", schema = @Schema(type = SchemaType.STRING,
                    pattern = "[a-z][a-z0-9_]{0,63}")) @QueryParam("action") String action,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        Caller.of(identity).requireProfile(id);
        Page.Request page = Page.request(limit, cursor);
        ActivityFilter filter = new ActivityFilter(id, ActivityResource.action(action), null, null);
        return profiles.requireExists(id).flatMap(found -> activity.page(filter, page));
    }
}
