package com.acme.subscription.activity;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.security.Roles;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/activity")
@Tag(name = "activity")
public class ActivityResource {

    private final ActivityService activity;

    public ActivityResource(ActivityService activity) {
        this.activity = activity;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "listActivity", summary = "All activity, newest first, paginated")
    @APIResponse(responseCode = "200", description = "A page of activity entries")
    public Uni<Page<ActivityView>> all(@QueryParam("profileId") String profileId,
            @Parameter(description = "Only this action, such as coupon_redeemed", schema = @Schema(type = SchemaType.STRING,
                    pattern = "[a-z][a-z0-9_]{0,63}")) @QueryParam("action") String action,
            @Parameter(description = "Entries created at or after", schema = @Schema(type = SchemaType.STRING,
                    format = "date-time")) @QueryParam("since") String since,
            @Parameter(description = "Entries created before", schema = @Schema(type = SchemaType.STRING,
                    format = "date-time")) @QueryParam("until") String until,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50")) @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        Page.Request page = Page.request(limit, cursor);
        return activity.page(new ActivityFilter(profileId, action(action), instant(since, "since"),
                instant(until, "until")), page);
    }

    public static String action(String action) {
        if (action != null && !action.matches("[a-z][a-z0-9_]{0,63}")) {
            throw ApiException.invalid("action", "must be an action name such as coupon_redeemed");
        }
        return action;
    }

    static Instant instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, Timestamps.EXPECTED);
        }
    }
}
