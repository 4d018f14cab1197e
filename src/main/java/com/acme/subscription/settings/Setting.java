package com.acme.subscription.settings;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One setting as {@code PUT /settings/{key}} answers it; values are strings ("14", "true", "Europe/Berlin"). */
@RegisterForReflection
@Schema(name = "Setting")
public record Setting(String key, String value) {
}
