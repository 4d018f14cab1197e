package com.acme.subscription.event;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An event as it is listed and delivered: a CloudEvent 1.0 in its JSON format (docs/events.md).
 * {@code sequence} numbers one profile's events in the order their changes committed.
 */
@RegisterForReflection
@Schema(name = "Event", description = "A CloudEvent 1.0 announcing a change of one profile")
public record CloudEvent(
        @Schema(enumeration = "1.0") String specversion,
        @Schema(format = "uuid") String id,
        @Schema(enumeration = CloudEvent.SOURCE) String source,
        @Schema(description = "What happened, such as grant.expired") String type,
        @Schema(description = "The profile id") String subject,
        Instant time,
        @Schema(enumeration = "application/json") String datacontenttype,
        @Schema(description = "Per profile, increasing: receivers order and deduplicate by it") long sequence,
        @Schema(type = SchemaType.OBJECT, implementation = Object.class, description = "What the type says it carries") JsonNode data) {

    public static final String SOURCE = "subscription-service";

    public static CloudEvent of(Event event, ObjectMapper json) {
        return new CloudEvent("1.0", event.id.toString(), SOURCE, event.type, event.profileId, event.time,
                "application/json", event.sequence, json.valueToTree(event.data));
    }
}
