package com.acme.subscription.override;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Per-profile overrides (table user_feature_restrictions): listed through Panache; set and
 * removed by the named statements below in the transaction that also writes the activity entry.
 */
@ApplicationScoped
public class OverrideRepository implements PanacheRepositoryBase<FeatureOverride, String> {

    static final String FEATURE_FK = "user_feature_restrictions_feature_id_fkey";

    static final String COLUMNS = "id, profile_id, feature_id, limit_value, reason, created_by, created, updated";

    /** Sets the override in one statement (atomic under concurrent PUTs); it tells a creation from an update. */
    static final String UPSERT = """
            INSERT INTO user_feature_restrictions AS o (profile_id, feature_id, limit_value, reason, created_by,
                                                        created, updated)
            VALUES ($1, $2, $3, $4, $5, $6, $6)
            ON CONFLICT (profile_id, feature_id) DO UPDATE SET
                limit_value = EXCLUDED.limit_value, reason = EXCLUDED.reason, created_by = EXCLUDED.created_by,
                updated = EXCLUDED.updated
            RETURNING (xmax = 0) AS inserted, %s
            """.formatted(COLUMNS);

    /**
     * Removes the override and says, when there was none, whether the feature exists. The caller
     * holds the profile's lock, so the profile exists.
     */
    static final String DELETE = """
            WITH removed AS (
                DELETE FROM user_feature_restrictions WHERE profile_id = $1 AND feature_id = $2 RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM removed) AS removed,
                   EXISTS (SELECT 1 FROM features WHERE id = $2) AS feature_exists
            """;

    /** The profile's overrides by feature; the caller opens the session. */
    public Uni<List<FeatureOverride>> ofProfile(String profileId) {
        return list("profileId = ?1 order by featureId", profileId);
    }

    public Uni<Upserted<FeatureOverride>> upsert(SqlClient tx, String profileId, String featureId, Integer limit,
            String reason, String createdBy, Instant now) {
        return tx.preparedQuery(UPSERT)
                .execute(Tuple.from(Arrays.asList(profileId, featureId, limit, reason, createdBy, Timestamps.utc(now))))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Upserted<>(override(row), row.getBoolean("inserted"));
                });
    }

    public enum Removal {
        REMOVED, NONE, FEATURE_NOT_FOUND
    }

    public Uni<Removal> delete(SqlClient tx, String profileId, String featureId) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(profileId, featureId)).map(rows -> {
            Row row = rows.iterator().next();
            if (row.getBoolean("removed")) {
                return Removal.REMOVED;
            }
            return row.getBoolean("feature_exists") ? Removal.NONE : Removal.FEATURE_NOT_FOUND;
        });
    }

    /** The one mapping of an override row outside Hibernate: into a detached entity. */
    static FeatureOverride override(Row row) {
        FeatureOverride override = new FeatureOverride();
        override.id = row.getString("id");
        override.profileId = row.getString("profile_id");
        override.featureId = row.getString("feature_id");
        override.limit = row.getInteger("limit_value");
        override.reason = row.getString("reason");
        override.createdBy = row.getString("created_by");
        override.created = row.getOffsetDateTime("created").toInstant();
        override.updated = row.getOffsetDateTime("updated").toInstant();
        return override;
    }
}
