package com.acme.subscription.settings;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT /settings/{key}}: the value as a string ("14", "true", "Europe/Berlin"). */
@Schema(name = "SettingInput")
public record SettingInput(@NotNull String value) {
}
