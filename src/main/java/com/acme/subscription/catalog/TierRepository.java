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
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tiers: reads through Panache; writes as single statements, so that an upsert is atomic
 * under concurrent PUTs and tells a creation from an update.
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

    /** Inserts or replaces the tier; true when it was created. */
    public Uni<Boolean> upsert(String id, TierInput in, Instant now) {
        return pool.preparedQuery("""
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
                """)
                .execute(Tuple.from(Arrays.asList(id, in.name(), in.description(), in.priceMonthlyCents(),
                        in.priceYearlyCents(), in.stripePriceIdMonthly(), in.stripePriceIdYearly(),
                        in.activeOrDefault(), in.sortOrder(), Timestamps.utc(now))))
                .map(rows -> rows.iterator().next().getBoolean("created"));
    }

    public enum Deletion {
        DELETED, NOT_FOUND, NAMED_IN_SETTINGS
    }

    /**
     * Deletes the tier unless a setting names it; profiles, grants and coupons hold it by
     * foreign key (ON DELETE RESTRICT), so PostgreSQL refuses those cases itself.
     * The tier row is locked first, in the same order as {@link #lockAgainstDelete}, so that
     * a setting cannot come to name the tier between the check and the delete.
     */
    public Uni<Deletion> delete(String id) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM tiers WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .flatMap(found -> found.rowCount() == 0
                        ? Uni.createFrom().item(Deletion.NOT_FOUND)
                        : tx.preparedQuery("""
                                SELECT 1 FROM app_settings
                                WHERE key IN ('trial_tier', 'post_trial_tier') AND value = $1
                                """)
                                .execute(Tuple.of(id))
                                .flatMap(named -> named.rowCount() > 0
                                        ? Uni.createFrom().item(Deletion.NAMED_IN_SETTINGS)
                                        : tx.preparedQuery("DELETE FROM tiers WHERE id = $1").execute(Tuple.of(id))
                                                .replaceWith(Deletion.DELETED))));
    }

    /** Locks the tier against deletion until the transaction ends; false if there is no such tier. */
    public static Uni<Boolean> lockAgainstDelete(SqlClient tx, String id) {
        return tx.preparedQuery("SELECT 1 FROM tiers WHERE id = $1 FOR KEY SHARE")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }
}
