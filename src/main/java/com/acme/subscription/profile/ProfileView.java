package com.acme.subscription.profile;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A profile as the API shows it; {@code tier} is the base tier, "disabled" when it has none. */
@RegisterForReflection
@Schema(name = "Profile")
public record ProfileView(String id, String email, @Schema(enumeration = { "user", "admin" }) String role,
        @Schema(description = "The base tier; disabled when it has none") String tier,
        @Schema(nullable = true, description = "End of the trial grant; null before it starts or without one") Instant trialEndsAt,
        boolean emailVerified,
        @Schema(nullable = true, description = "The profile whose invitation this profile registered with") String invitedBy,
        Instant created) {

    static final String COLUMNS = "id, email, role, tier, trial_ends_at, email_verified, invited_by, created";

    static ProfileView from(Row row) {
        var trialEnds = row.getOffsetDateTime("trial_ends_at");
        return new ProfileView(row.getString("id"), row.getString("email"), row.getString("role"),
                row.getString("tier") == null ? "disabled" : row.getString("tier"),
                trialEnds == null ? null : trialEnds.toInstant(), row.getBoolean("email_verified"),
                row.getString("invited_by"), row.getOffsetDateTime("created").toInstant());
    }

    static ProfileView from(Profile profile) {
        return new ProfileView(profile.id, profile.email, profile.role, profile.tier == null ? "disabled" : profile.tier,
                profile.trialEndsAt, profile.emailVerified, profile.invitedBy, profile.created);
    }
}
