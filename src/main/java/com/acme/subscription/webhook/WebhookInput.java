package com.acme.subscription.webhook;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /webhooks}. */
@Schema(name = "WebhookInput")
public record WebhookInput(
        @Schema(description = "https URL the events are POSTed to; it must not resolve to a private address")
        @NotBlank @Size(max = 2000) String url,
        @Schema(nullable = true, description = "The event types to send; empty or absent: every type")
        @Size(max = 100) List<String> eventTypes,
        @Schema(nullable = true) @Size(max = 1000) String description,
        @Schema(nullable = true, description = "Whether events are sent to it; absent or null: true. "
                + "An endpoint created inactive is sent nothing until it is switched on") Boolean active) {

    /** Active unless asked otherwise. */
    public boolean activeOrDefault() {
        return active == null || active;
    }
}
