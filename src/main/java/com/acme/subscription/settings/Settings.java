package com.acme.subscription.settings;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code GET /settings}: every setting as {@code {key: value}}, a named schema of its own. */
@RegisterForReflection
@Schema(name = "Settings", type = SchemaType.OBJECT, additionalProperties = String.class,
        description = "Every setting by key, values as strings (\"14\", \"true\")")
public record Settings(@Schema(hidden = true) @JsonValue Map<String, String> values) {
}
