package com.acme.subscription.catalog;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.PgErrors;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TierLimitService {

    private final TierRepository tiers;
    private final FeatureRepository features;
    private final TierLimitRepository limits;
    private final Clock clock;

    public TierLimitService(TierRepository tiers, FeatureRepository features, TierLimitRepository limits, Clock clock) {
        this.tiers = tiers;
        this.features = features;
        this.limits = limits;
        this.clock = clock;
    }

    @WithSession
    public Uni<TierLimitMatrix> matrix() {
        return tiers.listRanked().flatMap(tierList -> features.listSorted().flatMap(featureList -> limits.listAll()
                .map(cells -> matrix(tierList, featureList, cells))));
    }

    private static TierLimitMatrix matrix(List<Tier> tierList, List<Feature> featureList, List<TierLimit> cells) {
        Map<String, Map<String, Integer>> byTier = new LinkedHashMap<>();
        tierList.forEach(tier -> byTier.put(tier.id, new LinkedHashMap<>()));
        // cells in feature order, so the JSON reads like the matrix
        Map<String, Integer> featureOrder = new LinkedHashMap<>();
        featureList.forEach(feature -> featureOrder.put(feature.id, featureOrder.size()));
        cells.stream()
                .sorted((a, b) -> Integer.compare(featureOrder.get(a.featureId), featureOrder.get(b.featureId)))
                .forEach(cell -> byTier.get(cell.tierId).put(cell.featureId, cell.limit));
        return new TierLimitMatrix(tierList.stream().map(t -> t.id).toList(),
                featureList.stream().map(f -> f.id).toList(), byTier);
    }

    public Uni<Upserted<TierLimitView>> set(String tierId, String featureId, LimitInput input) {
        if (!input.isLimitGiven()) {
            return Uni.createFrom().failure(ApiException.invalid("limit", "is required (null means unlimited)"));
        }
        return limits.upsert(tierId, featureId, input.getLimit(), clock.instant())
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, TierLimitRepository.TIER_FK))
                .transform(e -> TierService.notFound(tierId))
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, TierLimitRepository.FEATURE_FK))
                .transform(e -> FeatureService.notFound(featureId))
                .map(created -> new Upserted<>(new TierLimitView(tierId, featureId, input.getLimit()), created));
    }

    /** Removes the cell; removing one that has no row is a success, the default applies either way. */
    public Uni<Void> remove(String tierId, String featureId) {
        return limits.delete(tierId, featureId).map(outcome -> switch (outcome) {
            case DELETED, NO_ROW -> null;
            case TIER_NOT_FOUND -> throw TierService.notFound(tierId);
            case FEATURE_NOT_FOUND -> throw FeatureService.notFound(featureId);
        });
    }
}
