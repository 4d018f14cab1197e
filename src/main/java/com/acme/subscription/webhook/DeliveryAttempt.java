package com.acme.subscription.webhook;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One attempt to deliver an event to an endpoint: an entry of its delivery log. */
@Schema(name = "WebhookDeliveryAttempt")
public record DeliveryAttempt(
        @Schema(description = "The event's id, sent as webhook-id") String eventId,
        @Schema(description = "The event's type") String eventType,
        @Schema(description = "1 for the first attempt of this event at this endpoint") int attempt,
        @Schema(description = "When the attempt started") Instant time,
        @Schema(description = "How long it took, to the answer or the error") long durationMs,
        @Schema(type = SchemaType.INTEGER, nullable = true, description = "The receiver's answer; null when there was none")
        Integer statusCode,
        @Schema(nullable = true, description = "Why there was no answer (timeout, connection, refused target)")
        String error,
        @Schema(description = "A 2xx answer within the timeout") boolean succeeded,
        @Schema(enumeration = { "pending", "delivered", "failed" }, type = SchemaType.STRING,
                description = "The delivery's state now")
        String deliveryStatus) {
}
