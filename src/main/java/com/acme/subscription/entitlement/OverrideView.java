package com.acme.subscription.entitlement;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;

/** A profile's own limit of a feature; null is unlimited, 0 disabled. {@code createdBy} is the admin's sub. */
@RegisterForReflection
@Schema(name = "FeatureOverride")
public record OverrideView(String profileId, String featureId,
        @Schema(nullable = true, description = "null is unlimited, 0 disabled") Integer limit,
        @Schema(nullable = true) String reason, @Schema(nullable = true) String createdBy,
        Instant created, Instant updated) {

    static final String COLUMNS = "profile_id, feature_id, limit_value, reason, created_by, created, updated";

    static OverrideView from(Row row) {
        return new OverrideView(row.getString("profile_id"), row.getString("feature_id"),
                row.getInteger("limit_value"), row.getString("reason"), row.getString("created_by"),
                row.getOffsetDateTime("created").toInstant(), row.getOffsetDateTime("updated").toInstant());
    }
}
