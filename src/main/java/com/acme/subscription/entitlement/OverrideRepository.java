package com.acme.subscription.entitlement;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Per-profile overrides (table user_feature_restrictions). */
@ApplicationScoped
public class OverrideRepository implements PanacheRepositoryBase<FeatureOverride, String> {

    static final String PROFILE_FK = "user_feature_restrictions_profile_id_fkey";
    static final String FEATURE_FK = "user_feature_restrictions_feature_id_fkey";

    private final Pool pool;

    public OverrideRepository(Pool pool) {
        this.pool = pool;
    }

    /** The profile's overrides by feature, or empty when there is no such profile. */
    public Uni<Optional<List<OverrideView>>> list(String profileId) {
        return pool.preparedQuery("""
                SELECT p.id AS profile, %s FROM profiles p
                LEFT JOIN user_feature_restrictions o ON o.profile_id = p.id
                WHERE p.id = $1 ORDER BY o.feature_id
                """.formatted(prefixed("o.")))
                .execute(Tuple.of(profileId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    List<OverrideView> list = new java.util.ArrayList<>();
                    rows.forEach(row -> {
                        if (row.getString("feature_id") != null) {
                            list.add(OverrideView.from(row));
                        }
                    });
                    return Optional.of(list);
                });
    }

    public Uni<Upserted<OverrideView>> upsert(SqlClient tx, String profileId, String featureId, Integer limit,
            String reason, String createdBy, Instant now) {
        return tx.preparedQuery("""
                INSERT INTO user_feature_restrictions AS o (profile_id, feature_id, limit_value, reason, created_by,
                                                            created, updated)
                VALUES ($1, $2, $3, $4, $5, $6, $6)
                ON CONFLICT (profile_id, feature_id) DO UPDATE SET
                    limit_value = EXCLUDED.limit_value, reason = EXCLUDED.reason, created_by = EXCLUDED.created_by,
                    updated = EXCLUDED.updated
                RETURNING (xmax = 0) AS inserted, %s
                """.formatted(OverrideView.COLUMNS))
                .execute(Tuple.from(Arrays.asList(profileId, featureId, limit, reason, createdBy, Timestamps.utc(now))))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new Upserted<>(OverrideView.from(row), row.getBoolean("inserted"));
                });
    }

    public enum Removal {
        REMOVED, NONE, PROFILE_NOT_FOUND, FEATURE_NOT_FOUND
    }

    public Uni<Removal> delete(SqlClient tx, String profileId, String featureId) {
        return tx.preparedQuery("""
                WITH removed AS (
                    DELETE FROM user_feature_restrictions WHERE profile_id = $1 AND feature_id = $2 RETURNING 1
                )
                SELECT EXISTS (SELECT 1 FROM removed) AS removed,
                       EXISTS (SELECT 1 FROM profiles WHERE id = $1) AS profile_exists,
                       EXISTS (SELECT 1 FROM features WHERE id = $2) AS feature_exists
                """)
                .execute(Tuple.of(profileId, featureId))
                .map(rows -> {
                    var row = rows.iterator().next();
                    if (row.getBoolean("removed")) {
                        return Removal.REMOVED;
                    }
                    if (!row.getBoolean("profile_exists")) {
                        return Removal.PROFILE_NOT_FOUND;
                    }
                    return row.getBoolean("feature_exists") ? Removal.NONE : Removal.FEATURE_NOT_FOUND;
                });
    }

    private static String prefixed(String alias) {
        return Arrays.stream(OverrideView.COLUMNS.split(", ")).map(c -> alias + c)
                .reduce((a, b) -> a + ", " + b).orElseThrow();
    }
}
