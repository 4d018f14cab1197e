package com.acme.subscription.profile;

import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code PATCH /profiles/{id}}: absent fields stay as they are. {@code tier} is a
 * tier id or "disabled"; {@code role} admin also makes the base tier selfhosted (unless the
 * same patch names a tier); {@code emailVerified: true} activates like a verification.
 */
public record ProfilePatch(
        @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a tier id or \"disabled\"") String tier,
        @Pattern(regexp = "user|admin", message = "must be \"user\" or \"admin\"") String role,
        Boolean emailVerified) {
}
