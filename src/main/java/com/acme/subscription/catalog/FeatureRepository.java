package com.acme.subscription.catalog;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The feature registry through Panache; the upsert is one statement. Deleting a feature
 * cascades to its tier limits; usage counters and overrides hold it by foreign key (ON DELETE
 * RESTRICT), so a feature in use is refused by PostgreSQL itself.
 */
@ApplicationScoped
public class FeatureRepository implements PanacheRepositoryBase<Feature, String> {

    private final Pool pool;

    public FeatureRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Feature>> listSorted() {
        return listAll(Sort.by("id"));
    }

    /** Inserts or replaces the feature in one statement; it tells a creation from an update. */
    static final String UPSERT = """
            INSERT INTO features (id, name, description, category, limit_type, reset_period,
                                  default_limit, active, created, updated)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
                limit_type = EXCLUDED.limit_type, reset_period = EXCLUDED.reset_period,
                default_limit = EXCLUDED.default_limit, active = EXCLUDED.active, updated = EXCLUDED.updated
            RETURNING (xmax = 0) AS created
            """;

    /** Inserts or replaces the feature; true when it was created. */
    public Uni<Boolean> upsert(String id, FeatureInput in, Instant now) {
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.from(Arrays.asList(id, in.name(), in.description(), in.category(),
                        in.limitTypeOrDefault().wire(), in.resetPeriodOrDefault().wire(), in.defaultLimit(),
                        in.activeOrDefault(), Timestamps.utc(now))))
                .map(rows -> rows.iterator().next().getBoolean("created"));
    }
}
