package com.acme.subscription.catalog;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One cell of the matrix as written by {@code PUT /tiers/{tierId}/limits/{featureId}}. */
@RegisterForReflection
public record TierLimitView(String tierId, String featureId, Integer limit) {
}
