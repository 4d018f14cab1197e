package com.acme.subscription.catalog;

/** One cell of the matrix as written by {@code PUT /tiers/{tierId}/limits/{featureId}}. */
public record TierLimitView(String tierId, String featureId, Integer limit) {
}
