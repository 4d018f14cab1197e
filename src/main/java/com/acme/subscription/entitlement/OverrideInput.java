package com.acme.subscription.entitlement;

import jakarta.validation.constraints.Size;

import com.acme.subscription.catalog.LimitInput;

/** Body of {@code PUT /profiles/{id}/overrides/{featureId}}: {@code {"limit": int or null, "reason": "..."}}. */
public class OverrideInput extends LimitInput {

    @Size(max = 1000)
    public String reason;
}
