package com.acme.subscription.usage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.entitlement.Amount;

/** Body of consume and release: {@code {"amount": n}}, n from 1 to 1,000,000; missing means 1. */
@Schema(name = "UsageAmount")
public record UsageAmount(@Schema(nullable = true, defaultValue = "1") @Min(value = 1, message = Amount.RULE) @Max(value = Amount.MAX, message = Amount.RULE) Integer amount) {

    public static UsageAmount of(UsageAmount body) {
        return new UsageAmount(body == null || body.amount() == null ? 1 : body.amount());
    }
}
