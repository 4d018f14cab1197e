package com.acme.subscription.catalog;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;

import com.acme.subscription.settings.SettingRepository;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TierService {

    /** Reserved for the base tier that gives no access; no tier may take it. */
    public static final String DISABLED = "disabled";

    private final TierRepository tiers;
    private final CatalogCache catalog;
    private final Clock clock;

    public TierService(TierRepository tiers, CatalogCache catalog, Clock clock) {
        this.tiers = tiers;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Uni<List<Tier>> list() {
        return catalog.current().map(Catalog::tiers);
    }

    public Uni<Tier> get(String id) {
        return catalog.current().map(c -> c.tier(id).orElseThrow(() -> NotFound.tier(id)));
    }

    public Uni<Upserted<Tier>> upsert(String id, TierInput input) {
        if (DISABLED.equals(id)) {
            return Uni.createFrom().failure(ApiException.invalid("tierId", "'disabled' is reserved"));
        }
        if (input.stripePriceIdMonthly() != null && input.stripePriceIdMonthly().equals(input.stripePriceIdYearly())) {
            // one price is one interval: Stripe bills a price monthly or yearly, not both
            return Uni.createFrom().failure(ApiException.invalid("stripePriceIdYearly",
                    "must differ from stripePriceIdMonthly"));
        }
        return tiers.upsert(id, input, clock.instant())
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, "tiers_sort_order_key"))
                .transform(e -> ApiException.conflict("sort_order_taken",
                        "Another tier has sortOrder " + input.sortOrder() + "."))
                // tier_prices mirrors the price columns, one tier per price id (V12__billing.sql)
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, "tier_prices_pkey"))
                .transform(e -> ApiException.conflict("price_id_taken",
                        "Another tier already sells one of these Stripe price ids."))
                .invoke(catalog::invalidate)
                .flatMap(created -> get(id).map(tier -> new Upserted<>(tier, created)));
    }

    public Uni<Void> delete(String id) {
        return remove(id)
                .onFailure(e -> PgErrors.isStillReferencedBy(e, SettingRepository.TIER_FK))
                .transform(e -> inUse(id, "the setting trial_tier or post_trial_tier names it"))
                .onFailure(PgErrors::isStillReferenced)
                .transform(e -> inUse(id, "profiles, grants or coupons use it"))
                .invoke(catalog::invalidate)
                .map(deleted -> {
                    if (!deleted) {
                        throw NotFound.tier(id);
                    }
                    return null;
                });
    }

    /** The foreign keys that hold a tier refuse the delete when the transaction flushes. */
    @WithTransaction
    Uni<Boolean> remove(String id) {
        return tiers.deleteById(id);
    }

    private static ApiException inUse(String id, String why) {
        return ApiException.conflict("tier_in_use",
                "Tier '" + id + "' is in use (" + why + "); deactivate it instead.");
    }
}
