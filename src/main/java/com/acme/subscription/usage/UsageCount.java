package com.acme.subscription.usage;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/** Body of {@code PUT /profiles/{id}/usage/{featureId}}: the counter of the current period. */
public record UsageCount(@NotNull @PositiveOrZero Integer used) {
}
