package com.acme.subscription.entitlement;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Checks and consumes by feature and result, for /q/metrics. */
@Singleton
public class EntitlementMetrics {

    private final MeterRegistry registry;
    private final Counter stateComputed;
    private final Counter checkFallback;

    public EntitlementMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stateComputed = Counter.builder("entitlement.state.computed")
                .description("Checks and consumes whose profile had no stored state holding now: computed from the grants")
                .register(registry);
        this.checkFallback = Counter.builder("entitlement.check.fallback")
                .description("Checks and consumes not answered from the resolved catalog limits: an unknown profile or"
                        + " feature, a profile on disabled, a stored state that does not hold now, no active feature")
                .register(registry);
    }

    /** A read found the profile's stored state stale or run out and computed the effective tier. */
    public void stateComputed() {
        stateComputed.increment();
    }

    /** A check or consume could not be answered from catalog_limits and the stored state. */
    public void checkFellBack() {
        checkFallback.increment();
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
