package com.acme.subscription.activity;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One activity entry as the API shows it. */
@RegisterForReflection
public record ActivityView(String id, String profileId, String action, JsonNode details, String ipAddress,
        String userAgent, Instant created) {
}
