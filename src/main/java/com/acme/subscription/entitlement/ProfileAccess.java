package com.acme.subscription.entitlement;

import java.time.Instant;

import io.vertx.mutiny.sqlclient.Row;

/**
 * What a profile is entitled to as a whole: activation and effective tier.
 * {@code tierId} null means no tier at all (base tier "disabled" and no grant).
 */
public record ProfileAccess(String profileId, boolean exists, String baseTier, boolean emailVerified, boolean activated,
        String tierId, String tierName, String source, String grantId, String grantedBy, Instant validUntil) {

    public static final String DISABLED = "disabled";

    static ProfileAccess from(String profileId, Row row) {
        return new ProfileAccess(profileId, row.getBoolean("profile_exists"), row.getString("base_tier"),
                row.getBoolean("email_verified"), row.getBoolean("activated"), row.getString("tier_id"),
                row.getString("tier_name"), row.getString("source"), row.getString("grant_id"),
                row.getString("granted_by"), FeatureState.instant(row, "valid_until"));
    }

    public boolean hasAccess() {
        return tierId != null;
    }
}
