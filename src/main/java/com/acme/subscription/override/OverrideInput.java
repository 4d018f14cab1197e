package com.acme.subscription.override;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.catalog.LimitInput;

/** Body of {@code PUT /profiles/{id}/overrides/{featureId}}: {@code {"limit": int or null, "reason": "..."}}. */
@Schema(name = "OverrideInput")
public class OverrideInput extends LimitInput {

    @Size(max = 1000)
    @Schema(nullable = true)
    public String reason;
}
