package com.acme.subscription.activity;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One activity entry as the API shows it. */
@RegisterForReflection
@Schema(name = "ActivityEntry")
public record ActivityView(String id, String profileId, String action,
        @Schema(type = SchemaType.OBJECT, implementation = Object.class, description = "What happened, by action") JsonNode details,
        @Schema(nullable = true) String ipAddress, @Schema(nullable = true) String userAgent, Instant created) {

    public static ActivityView from(ActivityEntry entry, ObjectMapper json) {
        return new ActivityView(entry.id, entry.profileId, entry.action, json.valueToTree(entry.details),
                entry.ipAddress, entry.userAgent, entry.created);
    }
}
