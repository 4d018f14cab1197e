package com.acme.subscription.catalog;

import java.time.Instant;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Cells of the tier x feature matrix. */
@ApplicationScoped
public class TierLimitRepository implements PanacheRepositoryBase<TierLimit, String> {

    static final String TIER_FK = "tier_limits_tier_id_fkey";
    static final String FEATURE_FK = "tier_limits_feature_id_fkey";

    private final Pool pool;

    public TierLimitRepository(Pool pool) {
        this.pool = pool;
    }

    /** Sets the cell; true when it had no row before. Unknown tier or feature fail on their foreign keys. */
    public Uni<Boolean> upsert(String tierId, String featureId, Integer limit, Instant now) {
        return pool.preparedQuery("""
                INSERT INTO tier_limits (tier_id, feature_id, limit_value, created, updated)
                VALUES ($1, $2, $3, $4, $4)
                ON CONFLICT (tier_id, feature_id) DO UPDATE SET
                    limit_value = EXCLUDED.limit_value, updated = EXCLUDED.updated
                RETURNING (xmax = 0) AS created
                """)
                .execute(Tuple.from(Arrays.asList(tierId, featureId, limit, Timestamps.utc(now))))
                .map(rows -> rows.iterator().next().getBoolean("created"));
    }

    public enum Deletion {
        DELETED, NO_ROW, TIER_NOT_FOUND, FEATURE_NOT_FOUND
    }

    /** Removes the cell, so the feature's default applies; says which part was missing if nothing was removed. */
    public Uni<Deletion> delete(String tierId, String featureId) {
        return pool.preparedQuery("""
                WITH deleted AS (DELETE FROM tier_limits WHERE tier_id = $1 AND feature_id = $2 RETURNING 1)
                SELECT EXISTS (SELECT 1 FROM deleted) AS deleted,
                       EXISTS (SELECT 1 FROM tiers WHERE id = $1) AS tier_exists,
                       EXISTS (SELECT 1 FROM features WHERE id = $2) AS feature_exists
                """)
                .execute(Tuple.of(tierId, featureId))
                .map(rows -> {
                    var row = rows.iterator().next();
                    if (row.getBoolean("deleted")) {
                        return Deletion.DELETED;
                    }
                    if (!row.getBoolean("tier_exists")) {
                        return Deletion.TIER_NOT_FOUND;
                    }
                    return row.getBoolean("feature_exists") ? Deletion.NO_ROW : Deletion.FEATURE_NOT_FOUND;
                });
    }
}
