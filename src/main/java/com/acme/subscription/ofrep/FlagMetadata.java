package com.acme.subscription.ofrep;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.entitlement.Check;
import com.acme.subscription.entitlement.TierSummary;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The numbers and words of the check behind a flag. OFREP metadata values are strings, numbers or
 * booleans, never null: what the check has as null is left out.
 */
@Schema(name = "OfrepFlagMetadata", description = "The entitlement check behind the value; a field the check has as "
        + "null is absent. The tier flag carries tier and tierSource only.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "limit", "used", "remaining", "unlimited", "resetAt", "limitSource", "tier", "tierSource" })
@RegisterForReflection
public record FlagMetadata(
        @Schema(description = "The effective limit (0: the feature is disabled); absent when unlimited") Integer limit,
        @Schema(description = "Units used in the current period; absent for boolean features") Long used,
        @Schema(description = "limit - used, never below 0; absent when unlimited and for boolean features") Long remaining,
        @Schema(description = "No limit applies") Boolean unlimited,
        @Schema(implementation = String.class, format = "date-time", description = "When the counter of a daily or "
                + "monthly feature next goes back to 0; absent for features that never reset") Instant resetAt,
        @Schema(enumeration = { "override", "tier", "default", "inactive" },
                description = "Where the limit comes from") String limitSource,
        @Schema(required = true, pattern = "^[a-z][a-z0-9_]{0,63}$",
                description = "The effective tier; disabled when the profile has none") String tier,
        @Schema(required = true, enumeration = { "base", "grant" },
                description = "Whether the tier is the base tier or comes from a grant") String tierSource) {

    static FlagMetadata of(Check check, TierSummary tier) {
        return new FlagMetadata(check.limit(), check.used(), check.remaining(), check.unlimited(), check.resetAt(),
                check.limitSource(), tier.id(), tier.source());
    }

    static FlagMetadata of(TierSummary tier) {
        return new FlagMetadata(null, null, null, null, null, null, tier.id(), tier.source());
    }
}
