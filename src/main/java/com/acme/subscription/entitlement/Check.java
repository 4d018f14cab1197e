package com.acme.subscription.entitlement;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.catalog.ResetPeriod;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The check object (docs/entitlements.md): may the profile use the feature (amount more times)? */
@JsonPropertyOrder({ "featureId", "limitType", "allowed", "limit", "used", "remaining", "unlimited", "resetPeriod",
        "resetAt", "limitSource", "reason" })
@RegisterForReflection
@Schema(name = "Check", description = "May the profile use the feature (amount more times)?")
public record Check(
        String featureId,
        LimitType limitType,
        @Schema(description = "Activated, not disabled, and unlimited or used + amount <= limit") boolean allowed,
        @Schema(nullable = true, description = "The effective limit; null is unlimited, 0 disabled") Integer limit,
        @Schema(nullable = true, minimum = "0", description = "The counter of the current period; null for boolean features") Long used,
        @Schema(nullable = true, minimum = "0", description = "Never negative; null when unlimited or boolean") Long remaining,
        boolean unlimited,
        ResetPeriod resetPeriod,
        @Schema(nullable = true, description = "When the counter next resets; null for never") Instant resetAt,
        @Schema(enumeration = { "override", "tier", "default", "inactive" }) String limitSource,
        @Schema(nullable = true, enumeration = { "email_not_verified", "access_disabled", "feature_disabled",
                "limit_reached" }, description = "Why it is denied (first match wins); null when allowed") String reason) {
}
