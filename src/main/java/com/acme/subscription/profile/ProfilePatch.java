package com.acme.subscription.profile;

import java.util.Map;

import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.FieldError;
import com.fasterxml.jackson.annotation.JsonAnySetter;

/**
 * Body of {@code PATCH /profiles/{id}}: absent fields stay as they are. {@code tier} is a
 * tier id or "disabled"; {@code role} admin also makes the base tier selfhosted (unless the
 * same patch names a tier); {@code emailVerified: true} activates like a verification. Any other
 * field (the e-mail address, the id) cannot be changed: refused, not ignored, as the other PATCH
 * endpoints do.
 */
@Schema(name = "ProfilePatch")
public record ProfilePatch(
        @Schema(nullable = true, description = "The base tier: a tier id or disabled")
        @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a tier id or \"disabled\"") String tier,
        @Schema(nullable = true, enumeration = { "user", "admin" })
        @Pattern(regexp = "user|admin", message = "must be \"user\" or \"admin\"") String role,
        @Schema(nullable = true, description = "true activates the profile like a verification") Boolean emailVerified,
        @Schema(hidden = true) @JsonAnySetter Map<String, Object> others) {

    /** Fails with 400 validation_failed naming each field that cannot be changed. */
    public void requireOnlyChangeableFields() {
        if (others != null && !others.isEmpty()) {
            throw ApiException.invalid(others.keySet().stream().sorted()
                    .map(field -> new FieldError(field, "cannot be changed (only emailVerified, role, tier)")).toList());
        }
    }
}
