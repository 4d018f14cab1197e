package com.acme.subscription.entitlement;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;

/** Checks and consumes by feature and result, for /q/metrics. */
@Singleton
public class EntitlementMetrics {

    private final MeterRegistry registry;

    public EntitlementMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code result}: allowed, or the reason of the denial. */
    public void checked(Check check) {
        registry.counter("entitlement.checks", "feature", check.featureId(), "result", result(check)).increment();
    }

    /** {@code operation}: consume, release or reconcile; {@code result}: ok or the error code. */
    public void usage(String operation, String featureId, String result) {
        registry.counter("usage.operations", "operation", operation, "feature", featureId, "result", result).increment();
    }

    private static String result(Check check) {
        return check.allowed() ? "allowed" : check.reason();
    }
}
