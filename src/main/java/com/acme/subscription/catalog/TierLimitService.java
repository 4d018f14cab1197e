package com.acme.subscription.catalog;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.Ids;
import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.PgErrors;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TierLimitService {

    private final TierLimitRepository limits;
    private final TierRepository tiers;
    private final FeatureRepository features;
    private final CatalogCache catalog;
    private final Clock clock;

    public TierLimitService(TierLimitRepository limits, TierRepository tiers, FeatureRepository features,
            CatalogCache catalog, Clock clock) {
        this.limits = limits;
        this.tiers = tiers;
        this.features = features;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Uni<TierLimitMatrix> matrix() {
        return catalog.current().map(Catalog::limits);
    }

    public Uni<Upserted<TierLimitView>> set(String tierId, String featureId, LimitInput input) {
        if (!input.limitGiven()) {
            return Uni.createFrom().failure(ApiException.invalid("limit", "is required (null means unlimited)"));
        }
        if (!Ids.mayBeCatalogId(tierId)) {
            return Uni.createFrom().failure(NotFound.tier(tierId));
        }
        if (!Ids.mayBeCatalogId(featureId)) {
            return Uni.createFrom().failure(NotFound.feature(featureId));
        }
        return limits.upsert(tierId, featureId, input.getLimit(), clock.instant())
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, TierLimitRepository.TIER_FK))
                .transform(e -> NotFound.tier(tierId))
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, TierLimitRepository.FEATURE_FK))
                .transform(e -> NotFound.feature(featureId))
                .invoke(catalog::invalidate)
                .map(created -> new Upserted<>(new TierLimitView(tierId, featureId, input.getLimit()), created));
    }

    /** Removes the cell; removing one that has no row is a success, the default applies either way. */
    public Uni<Void> remove(String tierId, String featureId) {
        return delete(tierId, featureId).invoke(catalog::invalidate);
    }

    @WithTransaction
    Uni<Void> delete(String tierId, String featureId) {
        return limits.delete(tierId, featureId).flatMap(deleted -> deleted ? Uni.createFrom().voidItem()
                : tiers.findById(tierId).flatMap(tier -> {
                    if (tier == null) {
                        throw NotFound.tier(tierId);
                    }
                    return features.findById(featureId);
                }).map(feature -> {
                    if (feature == null) {
                        throw NotFound.feature(featureId);
                    }
                    return null;
                }));
    }
}
