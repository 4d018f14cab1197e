package com.acme.subscription.settings;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.security.Roles;

import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/settings")
@Tag(name = "catalog")
@RolesAllowed(Roles.ADMIN)
public class SettingResource {

    private final SettingService settings;

    public SettingResource(SettingService settings) {
        this.settings = settings;
    }

    @GET
    @Operation(operationId = "getSettings", summary = "All settings as {key: value}, values as strings")
    @APIResponse(responseCode = "200", description = "Every setting", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Settings.class)))
    public Uni<Settings> all() {
        return settings.all().map(Settings::new);
    }

    @PUT
    @Path("/{key}")
    @Operation(operationId = "putSetting", summary = "Change a setting", description = "Validated per key: trial_duration_days 0-365, "
            + "post_trial_tier a tier id or 'disabled', require_email_verification and self_registration_enabled "
            + "'true'/'false', trial_tier a tier id, invitation_ttl_days 1-90, activity_retention_days 1-3650, "
            + "usage_reset_zone an IANA zone.")
    @APIResponse(responseCode = "200", description = "The setting as stored")
    @APIResponse(responseCode = "404", description = "setting_not_found")
    public Uni<Setting> put(@PathParam("key") String key, @Valid @NotNull SettingInput body) {
        return settings.put(key, body.value());
    }
}
