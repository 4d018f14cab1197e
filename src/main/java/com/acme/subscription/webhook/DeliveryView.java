package com.acme.subscription.webhook;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The delivery of one event to one endpoint. */
@Schema(name = "WebhookDelivery")
public record DeliveryView(
        String eventId,
        @Schema(enumeration = { "pending", "delivered", "failed" }, type = SchemaType.STRING) String status,
        @Schema(description = "Attempts made so far") int attempts,
        @Schema(description = "When it is sent next while pending") Instant nextAttemptAt) {
}
