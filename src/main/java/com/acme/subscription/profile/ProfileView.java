package com.acme.subscription.profile;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A profile as the API shows it; {@code tier} is the base tier, "disabled" when it has none. */
@RegisterForReflection
public record ProfileView(String id, String email, String role, String tier, Instant trialEndsAt, boolean emailVerified,
        String invitedBy, Instant created) {

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
