package com.acme.subscription.catalog;

import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The tier x feature matrix: a cell without a tier_limits row is absent (the feature's
 * default applies), a null cell is unlimited.
 */
@RegisterForReflection
public record TierLimitMatrix(List<String> tiers, List<String> features, Map<String, Map<String, Integer>> limits) {
}
