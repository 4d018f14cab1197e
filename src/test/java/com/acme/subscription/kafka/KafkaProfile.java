package com.acme.subscription.kafka;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with Kafka configured, against the test broker (the other tests run without Kafka). */
public class KafkaProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBroker.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // max.request.size: an event that large is refused by the producer itself, a failure that repeats
        return Map.of("subscriptions.events.kafka.retry", "100ms", "kafka.max.request.size", "4096");
    }

    /** The broker unreachable at first: the service's bootstrap address is a closed port until a {@link Gate} opens it. */
    public static class Unreachable implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBroker.class, Map.of("gated", "true")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("subscriptions.events.kafka.retry", "100ms", "subscriptions.events.kafka.send-timeout", "1s");
        }
    }
}
