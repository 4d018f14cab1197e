package com.acme.subscription.common.health;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.runtime.StartupEvent;

/**
 * Readiness describes this pod: started, which implies migrated (Flyway runs before
 * startup completes and a failed migration stops the start). It deliberately does not
 * ask the shared database, or every replica would leave the Service at once.
 */
@Readiness
@Singleton
public class StartedCheck implements HealthCheck {

    private volatile boolean started;

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("subscription-service")
                .status(started)
                .withData("migrated", started)
                .build();
    }
}
