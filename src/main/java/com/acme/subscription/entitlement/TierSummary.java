package com.acme.subscription.entitlement;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The effective tier and where it comes from: the base tier or a grant. */
@RegisterForReflection
public record TierSummary(String id, String name, String source, String grantId, String grantedBy, Instant validUntil) {
}
