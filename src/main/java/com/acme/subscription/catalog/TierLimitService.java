package com.acme.subscription.catalog;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.PgErrors;

import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TierLimitService {

    private final TierLimitRepository limits;
    private final CatalogCache catalog;
    private final Clock clock;

    public TierLimitService(TierLimitRepository limits, CatalogCache catalog, Clock clock) {
        this.limits = limits;
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
        return limits.delete(tierId, featureId).invoke(catalog::invalidate).map(outcome -> switch (outcome) {
            case DELETED, NO_ROW -> null;
            case TIER_NOT_FOUND -> throw NotFound.tier(tierId);
            case FEATURE_NOT_FOUND -> throw NotFound.feature(featureId);
        });
    }
}
