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

    /** Sets the cell in one statement; it tells a creation from an update. */
    static final String UPSERT = """
            INSERT INTO tier_limits (tier_id, feature_id, limit_value, created, updated)
            VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (tier_id, feature_id) DO UPDATE SET
                limit_value = EXCLUDED.limit_value, updated = EXCLUDED.updated
            RETURNING (xmax = 0) AS created
            """;

    /** Sets the cell; true when it had no row before. Unknown tier or feature fail on their foreign keys. */
    public Uni<Boolean> upsert(String tierId, String featureId, Integer limit, Instant now) {
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.from(Arrays.asList(tierId, featureId, limit, Timestamps.utc(now))))
                .map(rows -> rows.iterator().next().getBoolean("created"));
    }

    /** Removes the cell (the caller's transaction); true when there was one. */
    public Uni<Boolean> delete(String tierId, String featureId) {
        return delete("tierId = ?1 and featureId = ?2", tierId, featureId).map(deleted -> deleted > 0);
    }
}
