package com.acme.subscription.console;

import java.util.List;
import java.util.Map;

import com.acme.subscription.entitlement.Check;

/** One feature of a profile as its usage bar shows it, with a denial said in words. */
public record FeatureRow(Check check, String usage, int percent, String bar, String denial, String limitSource) {

    private static final Map<String, String> DENIALS = Map.of(
            "email_not_verified", "Denied: the e-mail address is not verified yet.",
            "access_disabled", "Denied: the profile has no tier (disabled).",
            "feature_disabled", "Denied: the effective tier does not include this feature (its limit is 0).",
            "limit_reached", "Denied: the limit of this period is used up.");

    private static final Map<String, String> SOURCES = Map.of(
            "override", "the profile's own override",
            "tier", "the tier's limit",
            "default", "the feature's default limit",
            "inactive", "the feature is switched off");

    static List<FeatureRow> of(List<Check> checks) {
        return checks.stream().map(FeatureRow::of).toList();
    }

    static FeatureRow of(Check check) {
        String usage;
        int percent = 0;
        if (check.used() == null) {
            usage = check.allowed() ? "On" : "Off";
        } else if (check.unlimited()) {
            usage = check.used() + " used, unlimited";
        } else {
            usage = check.used() + " of " + check.limit() + " used";
            percent = check.limit() == 0 ? 100 : (int) Math.min(100, check.used() * 100 / check.limit());
        }
        String bar = percent >= 100 ? "full" : percent >= 80 ? "high" : "";
        String denial = check.reason() == null ? null : DENIALS.getOrDefault(check.reason(), "Denied: " + check.reason());
        return new FeatureRow(check, usage, percent, bar, denial, SOURCES.getOrDefault(check.limitSource(), check.limitSource()));
    }
}
