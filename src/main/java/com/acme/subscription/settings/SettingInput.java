package com.acme.subscription.settings;

import jakarta.validation.constraints.NotNull;

/** Body of {@code PUT /settings/{key}}: the value as a string ("14", "true", "Europe/Berlin"). */
public record SettingInput(@NotNull String value) {
}
