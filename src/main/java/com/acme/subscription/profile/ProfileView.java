package com.acme.subscription.profile;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A profile as the API shows it; {@code tier} is the base tier, "disabled" when it has none. */
@RegisterForReflection
@Schema(name = "Profile")
public record ProfileView(String id, String email, @Schema(enumeration = { "user", "admin" }) String role,
        @Schema(description = "The base tier; disabled when it has none") String tier,
        @Schema(nullable = true, description = "End of the trial grant; null before it starts or without one") Instant trialEndsAt,
        boolean emailVerified,
        @Schema(nullable = true, description = "The profile whose invitation this profile registered with") String invitedBy,
        Instant created) {

    static ProfileView from(Profile profile) {
        return new ProfileView(profile.id, profile.email, profile.role, profile.tier == null ? Profile.DISABLED : profile.tier,
                profile.trialEndsAt, profile.emailVerified, profile.invitedBy, profile.created);
    }
}
