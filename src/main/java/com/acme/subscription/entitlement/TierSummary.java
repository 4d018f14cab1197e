package com.acme.subscription.entitlement;

import java.time.Instant;

/** The effective tier and where it comes from: the base tier or a grant. */
public record TierSummary(String id, String name, String source, String grantId, String grantedBy, Instant validUntil) {
}
