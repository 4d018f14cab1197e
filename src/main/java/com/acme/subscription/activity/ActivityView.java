package com.acme.subscription.activity;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** One activity entry as the API shows it. */
public record ActivityView(String id, String profileId, String action, JsonNode details, String ipAddress,
        String userAgent, Instant created) {
}
