package com.acme.subscription.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The environment names of the settings, and which variables name none (README.md, Configuration). */
class UnknownVariablesTest {

    @Test
    void everySettingIsKnownByItsEnvironmentName() {
        Set<String> known = UnknownVariables.known();
        assertTrue(known.containsAll(Set.of("SUBSCRIPTIONS_JOBS_BATCH_SIZE", "SUBSCRIPTIONS_JOBS_INITIAL_DELAY",
                "SUBSCRIPTIONS_JOBS_EXPIRE_GRANTS_EVERY", "SUBSCRIPTIONS_WEBHOOKS_ALLOW_PRIVATE_TARGETS",
                "SUBSCRIPTIONS_EVENTS_KAFKA_SEND_TIMEOUT", "SUBSCRIPTIONS_DATABASE_MAX_WAITING_STATEMENTS",
                "SUBSCRIPTIONS_EMBEDDED_POSTGRES_PORT")), known.toString());
    }

    @Test
    void aMisspeltVariableIsUnknownAndOthersAreLeftAlone() {
        Map<String, String> environment = Map.of("SUBSCRIPTIONS_JOBS_INTIAL_DELAY", "5s",
                "SUBSCRIPTIONS_JOBS_INITIAL_DELAY", "5s", "SUBSCRIPTIONS_FOO", "1", "QUARKUS_HTTP_PORT", "8080",
                "SUBSCRIPTION_TIER", "premium");
        Set<String> unknown = UnknownVariables.unknown(environment, UnknownVariables.known());
        assertEquals(Set.of("SUBSCRIPTIONS_FOO", "SUBSCRIPTIONS_JOBS_INTIAL_DELAY"), unknown);
        String message = UnknownVariables.message(unknown, Set.of("SUBSCRIPTIONS_JOBS_INITIAL_DELAY"));
        assertEquals("Unknown environment variables SUBSCRIPTIONS_FOO, SUBSCRIPTIONS_JOBS_INTIAL_DELAY: no setting "
                + "has that name (misspelt?). The service's settings are SUBSCRIPTIONS_JOBS_INITIAL_DELAY.", message);
    }

    /** What Kubernetes sets for a Service named subscriptions (or subscriptions-db) in the namespace. */
    @Test
    void theVariablesKubernetesSetsForAServiceAreLeftAlone() {
        Map<String, String> environment = Map.of("SUBSCRIPTIONS_SERVICE_HOST", "10.0.0.7",
                "SUBSCRIPTIONS_SERVICE_PORT", "80", "SUBSCRIPTIONS_SERVICE_PORT_HTTP", "80",
                "SUBSCRIPTIONS_PORT", "tcp://10.0.0.7:80", "SUBSCRIPTIONS_PORT_80_TCP", "tcp://10.0.0.7:80",
                "SUBSCRIPTIONS_PORT_80_TCP_PROTO", "tcp", "SUBSCRIPTIONS_PORT_80_TCP_PORT", "80",
                "SUBSCRIPTIONS_PORT_80_TCP_ADDR", "10.0.0.7", "SUBSCRIPTIONS_DB_SERVICE_HOST", "10.0.0.8",
                "SUBSCRIPTIONS_DB_PORT_5432_TCP_ADDR", "10.0.0.8");
        assertEquals(Set.of(), UnknownVariables.unknown(environment, UnknownVariables.known()));
    }

    /** Without the Service's _SERVICE_HOST, a name of that shape is a misspelt setting like any other. */
    @Test
    void aMisspeltSettingEndingInPortIsFound() {
        Map<String, String> environment = Map.of("SUBSCRIPTIONS_EMBEDED_POSTGRES_PORT", "5432");
        assertEquals(Set.of("SUBSCRIPTIONS_EMBEDED_POSTGRES_PORT"),
                UnknownVariables.unknown(environment, UnknownVariables.known()));
    }
}
