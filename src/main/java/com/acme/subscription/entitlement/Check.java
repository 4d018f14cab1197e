package com.acme.subscription.entitlement;

import java.time.Instant;

import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.catalog.ResetPeriod;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The check object (docs/entitlements.md): may the profile use the feature (amount more times)? */
@JsonPropertyOrder({ "featureId", "limitType", "allowed", "limit", "used", "remaining", "unlimited", "resetPeriod",
        "resetAt", "limitSource", "reason" })
@RegisterForReflection
public record Check(String featureId, LimitType limitType, boolean allowed, Integer limit, Long used, Long remaining,
        boolean unlimited, ResetPeriod resetPeriod, Instant resetAt, String limitSource, String reason) {
}
