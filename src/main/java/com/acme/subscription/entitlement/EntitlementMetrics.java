package com.acme.subscription.entitlement;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Checks and consumes by feature and result, for /q/metrics. */
@Singleton
public class EntitlementMetrics {

    private final MeterRegistry registry;
    private final Counter stateComputed;
    private final Counter checkFallback;
    /*
     * The counters by their tags, found again by key: MeterRegistry.counter(name, tags...) builds and
     * sorts the tags and looks the meter up on every call, about 1 % of a check's CPU in the JVM.
     * Features and results are few (an unknown feature is refused before it is counted).
     */
    private final Map<Checked, Counter> checks = new ConcurrentHashMap<>();
    private final Map<Used, Counter> operations = new ConcurrentHashMap<>();

    private record Checked(String feature, String result) {
    }

    private record Used(String operation, String feature, String result) {
    }

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
        checks.computeIfAbsent(new Checked(check.featureId(), result(check)),
                key -> registry.counter("entitlement.checks", "feature", key.feature(), "result", key.result()))
                .increment();
    }

    /** {@code operation}: consume, release or reconcile; {@code result}: ok or the error code. */
    public void usage(String operation, String featureId, String result) {
        operations.computeIfAbsent(new Used(operation, featureId, result), key -> registry.counter("usage.operations",
                "operation", key.operation(), "feature", key.feature(), "result", key.result())).increment();
    }

    private static String result(Check check) {
        return check.allowed() ? "allowed" : check.reason();
    }
}
