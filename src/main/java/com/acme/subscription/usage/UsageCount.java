package com.acme.subscription.usage;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT /profiles/{id}/usage/{featureId}}: the counter of the current period. */
@Schema(name = "UsageCount")
public record UsageCount(@NotNull @PositiveOrZero Integer used) {
}
