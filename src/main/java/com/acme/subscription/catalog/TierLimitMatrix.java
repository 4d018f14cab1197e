package com.acme.subscription.catalog;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The tier x feature matrix: a cell without a tier_limits row is absent (the feature's
 * default applies), a null cell is unlimited.
 */
@RegisterForReflection
public record TierLimitMatrix(List<String> tiers, List<String> features, Map<String, Map<String, Integer>> limits) {

    /** The matrix of tiers and features in the given order, its cells in feature order so the JSON reads like one. */
    public static TierLimitMatrix of(List<Tier> tierList, List<Feature> featureList, List<TierLimit> cells) {
        Map<String, Integer> featureOrder = new HashMap<>();
        featureList.forEach(feature -> featureOrder.put(feature.id, featureOrder.size()));
        Map<String, Map<String, Integer>> byTier = new LinkedHashMap<>();
        tierList.forEach(tier -> byTier.put(tier.id, new LinkedHashMap<>()));
        cells.stream()
                .sorted(Comparator.comparing(cell -> featureOrder.get(cell.featureId)))
                .forEach(cell -> byTier.get(cell.tierId).put(cell.featureId, cell.limit));
        byTier.replaceAll((tier, row) -> Collections.unmodifiableMap(row));
        return new TierLimitMatrix(tierList.stream().map(t -> t.id).toList(), featureList.stream().map(f -> f.id).toList(),
                Collections.unmodifiableMap(byTier));
    }
}
