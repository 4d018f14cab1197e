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
 * Tiers through Panache (reads, delete); the upsert is one statement, so that it is atomic
 * under concurrent PUTs and tells a creation from an update. Profiles, grants, coupons and
 * settings hold a tier by foreign key (ON DELETE RESTRICT): PostgreSQL refuses to delete a
 * tier in use, whatever runs concurrently.
 */
@ApplicationScoped
public class TierRepository implements PanacheRepositoryBase<Tier, String> {

    private final Pool pool;

    public TierRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Tier>> listRanked() {
        return listAll(Sort.by("sortOrder"));
    }

    /** Inserts or replaces the tier in one statement: atomic under concurrent PUTs, and it tells which it did. */
    static final String UPSERT = """
            INSERT INTO tiers AS t (id, name, description, price_monthly_cents, price_yearly_cents,
                                    stripe_price_id_monthly, stripe_price_id_yearly, active, sort_order,
                                    created, updated)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, description = EXCLUDED.description,
                price_monthly_cents = EXCLUDED.price_monthly_cents,
                price_yearly_cents = EXCLUDED.price_yearly_cents,
                stripe_price_id_monthly = EXCLUDED.stripe_price_id_monthly,
                stripe_price_id_yearly = EXCLUDED.stripe_price_id_yearly,
                active = EXCLUDED.active, sort_order = EXCLUDED.sort_order, updated = EXCLUDED.updated
            RETURNING (xmax = 0) AS created
            """;

    /** Inserts or replaces the tier; true when it was created. */
    public Uni<Boolean> upsert(String id, TierInput in, Instant now) {
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.from(Arrays.asList(id, in.name(), in.description(), in.priceMonthlyCents(),
                        in.priceYearlyCents(), in.stripePriceIdMonthly(), in.stripePriceIdYearly(),
                        in.activeOrDefault(), in.sortOrder(), Timestamps.utc(now))))
                .map(rows -> rows.iterator().next().getBoolean("created"));
    }
}
