package com.acme.subscription.catalog;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The tier x feature matrix: a cell without a tier_limits row is absent (the feature's
 * default applies), a null cell is unlimited.
 */
@RegisterForReflection
@Schema(name = "TierLimits")
public record TierLimitMatrix(@Schema(description = "Every tier id, by sortOrder") List<String> tiers,
        @Schema(description = "Every feature id") List<String> features,
        @Schema(description = "tierId -> featureId -> limit", ref = "TierLimitRows")
        Map<String, Map<String, Integer>> limits) {

    /** The cells by tier, for the published schema: tierId -> row. */
    @Schema(name = "TierLimitRows", type = SchemaType.OBJECT, additionalProperties = Row.class)
    interface Rows {
    }

    /** One tier's cells, for the published schema: featureId -> limit. */
    @Schema(name = "TierLimitRow", type = SchemaType.OBJECT, additionalProperties = Cell.class,
            description = "featureId -> limit; a feature without a cell takes its defaultLimit")
    interface Row {
    }

    /** One cell, for the published schema. */
    @Schema(name = "TierLimitCell", type = SchemaType.INTEGER, nullable = true, minimum = "0",
            description = "null is unlimited, 0 disabled")
    interface Cell {
    }

    /** The matrix of tiers and features in the given order, its cells in feature order so the JSON reads like one. */
    public static TierLimitMatrix of(List<Tier> tierList, List<Feature> featureList, List<TierLimit> cells) {
        Map<String, Integer> featureOrder = new HashMap<>();
        featureList.forEach(feature -> featureOrder.put(feature.id, featureOrder.size()));
        Map<String, Map<String, Integer>> byTier = new LinkedHashMap<>();
        tierList.forEach(tier -> byTier.put(tier.id, new LinkedHashMap<>()));
        cells.stream()
                // read apart from the lists, a cell may name a tier or feature created since: left out, as
                // the change's notification has the catalog read again
                .filter(cell -> byTier.containsKey(cell.tierId) && featureOrder.containsKey(cell.featureId))
                .sorted(Comparator.comparing(cell -> featureOrder.get(cell.featureId)))
                .forEach(cell -> byTier.get(cell.tierId).put(cell.featureId, cell.limit));
        byTier.replaceAll((tier, row) -> Collections.unmodifiableMap(row));
        return new TierLimitMatrix(tierList.stream().map(t -> t.id).toList(), featureList.stream().map(f -> f.id).toList(),
                Collections.unmodifiableMap(byTier));
    }
}
