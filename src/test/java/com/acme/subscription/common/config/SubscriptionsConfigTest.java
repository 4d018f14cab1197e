package com.acme.subscription.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.common.runtime.util.SchedulerUtils;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every {@code subscriptions.*} default is written once, in {@link SubscriptionsConfig}, and seen
 * everywhere: by the typed configuration, by plain lookups, and by the {@code ${...}} expressions of
 * the jobs' {@code @Scheduled} annotations, which have no fallback of their own. (None of these keys
 * is set by application.properties or the tests.)
 */
@QuarkusTest
class SubscriptionsConfigTest {

    static final Map<String, String> DEFAULTS = Map.of(
            "subscriptions.jobs.batch-size", "1000",
            "subscriptions.jobs.parallelism", "2",
            "subscriptions.jobs.initial-delay", "10s",
            "subscriptions.jobs.expire-grants.every", "60s",
            "subscriptions.jobs.resume-grants.every", "60s",
            "subscriptions.jobs.reset-usage.every", "60s",
            "subscriptions.jobs.prune.every", "60s",
            "subscriptions.email-verification.ttl", "P2D",
            "subscriptions.token-cache.maximum-size", "10000",
            "subscriptions.token-cache.max-age", "5m");

    @Inject
    SubscriptionsConfig subscriptions;

    @Inject
    Config config;

    @Test
    void theTypedConfigurationHasTheDefaults() {
        SubscriptionsConfig.Jobs jobs = subscriptions.jobs();
        assertEquals(1000, jobs.batchSize());
        assertEquals(2, jobs.parallelism());
        assertEquals(Duration.ofSeconds(10), jobs.initialDelay());
        assertEquals(Duration.ofSeconds(60), jobs.expireGrants().every());
        assertEquals(Duration.ofSeconds(60), jobs.resumeGrants().every());
        assertEquals(Duration.ofSeconds(60), jobs.resetUsage().every());
        assertEquals(Duration.ofSeconds(60), jobs.prune().every());
        assertEquals(Duration.ofDays(2), subscriptions.emailVerification().ttl());
        assertEquals(10_000, subscriptions.tokenCache().maximumSize());
        assertEquals(Duration.ofMinutes(5), subscriptions.tokenCache().maxAge());
        assertEquals(Duration.ofSeconds(1), subscriptions.catalog().listenRetry());
    }

    @Test
    void theDefaultsAreConfigurationValuesToo() {
        DEFAULTS.forEach((key, value) -> assertEquals(value, config.getValue(key, String.class), key));
    }

    @Test
    void theSchedulesExpressionsResolveToTheDefaults() {
        // what the scheduler does with @Scheduled(every = "${...}", delayed = "${...}") at start-up
        for (String job : new String[] { "expire-grants", "resume-grants", "reset-usage", "prune" }) {
            assertEquals("60s", SchedulerUtils.lookUpPropertyValue("${subscriptions.jobs." + job + ".every}"), job);
        }
        assertEquals("10s", SchedulerUtils.lookUpPropertyValue("${subscriptions.jobs.initial-delay}"));
    }
}
