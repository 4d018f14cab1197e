package com.acme.subscription.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One consistent copy of the catalog (tiers by sortOrder, features by id, the tier x feature
 * matrix) and the settings (by key), as {@link CatalogCache} holds it. Read-only: its
 * entities are detached and shared between requests.
 */
public record Catalog(List<Tier> tiers, List<Feature> features, TierLimitMatrix limits, Map<String, String> settings) {

    public static Catalog of(List<Tier> tiers, List<Feature> features, List<TierLimit> cells, Map<String, String> settings) {
        return new Catalog(List.copyOf(tiers), List.copyOf(features), TierLimitMatrix.of(tiers, features, cells),
                Collections.unmodifiableMap(new TreeMap<>(settings)));
    }

    public Optional<Tier> tier(String id) {
        return tiers.stream().filter(tier -> tier.id.equals(id)).findFirst();
    }

    public Optional<Feature> feature(String id) {
        return features.stream().filter(feature -> feature.id.equals(id)).findFirst();
    }
}
