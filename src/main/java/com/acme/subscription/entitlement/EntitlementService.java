package com.acme.subscription.entitlement;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.entitlement.EntitlementRepository.Snapshot;

import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class EntitlementService {

    private final EntitlementRepository entitlements;
    private final EntitlementMetrics metrics;
    private final Clock clock;

    public EntitlementService(EntitlementRepository entitlements, EntitlementMetrics metrics, Clock clock) {
        this.entitlements = entitlements;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<Check> check(String profileId, String featureId, int amount) {
        return entitlements.one(profileId, featureId, clock.instant()).map(snapshot -> {
            FeatureState feature = requireFeature(snapshot, featureId);
            Check check = EntitlementRules.check(snapshot.access(), feature, amount);
            metrics.checked(check);
            return check;
        });
    }

    public Uni<Entitlements> all(String profileId) {
        return entitlements.all(profileId, clock.instant()).map(snapshot -> {
            ProfileAccess access = requireProfile(snapshot);
            return new Entitlements(profileId, EntitlementRules.tier(access), EntitlementRules.baseTier(access),
                    access.emailVerified(),
                    snapshot.features().stream().map(feature -> EntitlementRules.check(access, feature, 1)).toList());
        });
    }

    static ProfileAccess requireProfile(Snapshot snapshot) {
        if (!snapshot.access().exists()) {
            throw NotFound.profile(snapshot.access().profileId());
        }
        return snapshot.access();
    }

    /** The one feature of a snapshot: 404 for an unknown profile first, then for an unknown feature. */
    public static FeatureState requireFeature(Snapshot snapshot, String featureId) {
        requireProfile(snapshot);
        if (snapshot.features().isEmpty()) {
            throw NotFound.feature(featureId);
        }
        return snapshot.features().get(0);
    }
}
