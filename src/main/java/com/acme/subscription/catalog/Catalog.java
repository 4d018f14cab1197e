package com.acme.subscription.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One consistent copy of the catalog (tiers by sortOrder, features by id, the tier x feature
 * matrix), as {@link CatalogCache} holds it. Read-only: its entities are detached and shared
 * between requests.
 */
public record Catalog(List<Tier> tiers, List<Feature> features, TierLimitMatrix limits) {

    public static Catalog of(List<Tier> tiers, List<Feature> features, List<TierLimit> cells) {
        return new Catalog(List.copyOf(tiers), List.copyOf(features), TierLimitMatrix.of(tiers, features, cells));
    }

    public Optional<Tier> tier(String id) {
        return tiers.stream().filter(tier -> tier.id.equals(id)).findFirst();
    }

    public Optional<Feature> feature(String id) {
        return features.stream().filter(feature -> feature.id.equals(id)).findFirst();
    }
}
