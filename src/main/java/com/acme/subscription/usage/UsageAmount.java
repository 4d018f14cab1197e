package com.acme.subscription.usage;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.entitlement.Amount;

/**
 * Body of consume and release: {@code {"amount": n}}, n from 1 to 1,000,000; missing means 1. Checked
 * by {@link #of} rather than by Bean Validation: a consume is a hot path, and method validation cost
 * about a twentieth of its Java time (bench/README.md, "Where a consume's time goes").
 */
@Schema(name = "UsageAmount")
public record UsageAmount(@Schema(nullable = true, defaultValue = "1", minimum = "1", maximum = Amount.MAX_TEXT) Integer amount) {

    /** The amount a body asks for; 400 validation_failed unless it is from 1 to 1,000,000. */
    public static UsageAmount of(UsageAmount body) {
        if (body == null || body.amount() == null) {
            return new UsageAmount(1);
        }
        Amount.require(body.amount(), "amount");
        return body;
    }
}
