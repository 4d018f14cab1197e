package com.acme.subscription.console;

import java.util.Map;

import com.acme.subscription.entitlement.Entitlements;
import com.acme.subscription.entitlement.TierSummary;

/** The effective tier and, in words, where it comes from: the answer to "why is she on this tier?". */
public record Why(String tierId, String tierName, String explanation, boolean disabled) {

    private static final Map<String, String> GRANTORS = Map.of(
            "admin", "a grant by an admin",
            "coupon", "a coupon",
            "trial", "the trial",
            "subscription", "a paid subscription");

    static Why of(Entitlements entitlements) {
        TierSummary tier = entitlements.tier();
        boolean disabled = "disabled".equals(tier.id());
        String explanation;
        if ("grant".equals(tier.source())) {
            explanation = "From " + GRANTORS.getOrDefault(tier.grantedBy(), "a grant") + " until "
                    + Format.when(tier.validUntil()) + "; the base tier underneath is " + entitlements.baseTier() + ".";
        } else if (disabled) {
            explanation = "No grant is in force and the profile has no base tier, so every feature is denied.";
        } else {
            explanation = "Its base tier: no grant is in force.";
        }
        if (!entitlements.emailVerified()) {
            explanation += " The e-mail address is not verified yet.";
        }
        return new Why(tier.id(), tier.name() == null ? tier.id() : tier.name(), explanation, disabled);
    }
}
