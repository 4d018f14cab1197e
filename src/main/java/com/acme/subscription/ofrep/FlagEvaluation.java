package com.acme.subscription.ofrep;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.entitlement.Check;
import com.acme.subscription.entitlement.TierSummary;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One evaluated flag. A feature's value is the check's {@code allowed}; the flag {@code tier}
 * answers the effective tier's id.
 */
@Schema(name = "OfrepFlagEvaluation", description = "An evaluated flag (OFREP evaluationSuccess).")
@JsonPropertyOrder({ "key", "value", "reason", "variant", "metadata" })
@RegisterForReflection
public record FlagEvaluation(
        @Schema(required = true, description = "A feature id, or tier") String key,
        // anyOf, not oneOf: a generated client reading true may also read it as the string "true" (Jackson coerces),
        // and a oneOf would then match twice and fail; the first match, the boolean, is the right one
        @Schema(required = true, anyOf = { Boolean.class, String.class }, description = "For a feature (boolean): "
                + "may the profile use amount more units; for tier (string): the effective tier id") Object value,
        @Schema(required = true, enumeration = TARGETING_MATCH) String reason,
        @Schema(required = true, description = "For a feature: allowed, or the denial reason (email_not_verified, "
                + "access_disabled, feature_disabled, limit_reached); for tier: the tier id") String variant,
        @Schema(required = true) FlagMetadata metadata) {

    /** The flag whose value is the effective tier id. */
    public static final String TIER_FLAG = "tier";
    /** Every value comes from evaluating the profile's own entitlements. */
    public static final String TARGETING_MATCH = "TARGETING_MATCH";

    static final String ALLOWED = "allowed";

    static FlagEvaluation of(Check check, TierSummary tier) {
        return new FlagEvaluation(check.featureId(), check.allowed(), TARGETING_MATCH,
                check.allowed() ? ALLOWED : check.reason(), FlagMetadata.of(check, tier));
    }

    static FlagEvaluation tier(TierSummary tier) {
        return new FlagEvaluation(TIER_FLAG, tier.id(), TARGETING_MATCH, tier.id(),
                FlagMetadata.of(tier));
    }
}
