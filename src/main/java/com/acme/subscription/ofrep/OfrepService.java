package com.acme.subscription.ofrep;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.entitlement.Check;
import com.acme.subscription.entitlement.EntitlementMetrics;
import com.acme.subscription.entitlement.EntitlementRepository;
import com.acme.subscription.entitlement.EntitlementRules;
import com.acme.subscription.entitlement.FeatureState;
import com.acme.subscription.entitlement.ProfileAccess;
import com.acme.subscription.entitlement.TierSummary;

import io.smallrye.mutiny.Uni;

/**
 * Evaluates flags with the entitlement check's own statements and rules: a flag is exactly what
 * the check says. The check's answer and the effective tier come from one snapshot (one round
 * trip), so a flag's metadata never mixes two moments. Nothing is written.
 */
@ApplicationScoped
public class OfrepService {

    private final EntitlementRepository entitlements;
    private final EntitlementMetrics metrics;
    private final Clock clock;

    public OfrepService(EntitlementRepository entitlements, EntitlementMetrics metrics, Clock clock) {
        this.entitlements = entitlements;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One flag: {@code tier}, or a feature (an inactive one too, allowed and unlimited like its check). */
    public Uni<FlagEvaluation> evaluate(String key, String profileId, int amount) {
        if (FlagEvaluation.TIER_FLAG.equals(key)) {
            return entitlements.access(profileId, clock.instant())
                    .map(access -> FlagEvaluation.tier(EntitlementRules.tier(requireProfile(access, key))));
        }
        return entitlements.one(profileId, key, clock.instant()).map(snapshot -> {
            ProfileAccess access = requireProfile(snapshot.access(), key);
            if (snapshot.features().isEmpty()) {
                throw OfrepFailure.flagNotFound(key);
            }
            Check check = EntitlementRules.check(access, snapshot.features().get(0), amount);
            metrics.checked(check);
            return FlagEvaluation.of(check, EntitlementRules.tier(access));
        });
    }

    /** {@code tier} and every active feature. A feature named tier is shadowed by the tier flag. */
    public Uni<BulkEvaluation> evaluateAll(String profileId, int amount) {
        return entitlements.all(profileId, clock.instant()).map(snapshot -> {
            ProfileAccess access = requireProfile(snapshot.access(), null);
            TierSummary tier = EntitlementRules.tier(access);
            List<FlagEvaluation> flags = new ArrayList<>();
            flags.add(FlagEvaluation.tier(tier));
            for (FeatureState feature : snapshot.features()) {
                if (!FlagEvaluation.TIER_FLAG.equals(feature.featureId())) {
                    flags.add(FlagEvaluation.of(EntitlementRules.check(access, feature, amount), tier));
                }
            }
            return new BulkEvaluation(flags);
        });
    }

    private static ProfileAccess requireProfile(ProfileAccess access, String key) {
        if (!access.exists()) {
            throw OfrepFailure.unknownProfile(key, access.profileId());
        }
        return access;
    }
}
