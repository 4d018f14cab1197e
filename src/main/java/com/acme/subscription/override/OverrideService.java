package com.acme.subscription.override;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.common.Ids;
import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.grant.GrantService;
import com.acme.subscription.profile.ProfileService;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

@ApplicationScoped
public class OverrideService {

    private final OverrideRepository overrides;
    private final ProfileService profiles;
    private final GrantService grants;
    private final ActivityLog activity;
    private final Pool pool;
    private final Clock clock;

    public OverrideService(OverrideRepository overrides, ProfileService profiles, GrantService grants,
            ActivityLog activity, Pool pool, Clock clock) {
        this.overrides = overrides;
        this.profiles = profiles;
        this.grants = grants;
        this.activity = activity;
        this.pool = pool;
        this.clock = clock;
    }

    @WithSession
    public Uni<List<OverrideView>> list(String profileId) {
        return profiles.requireExists(profileId).flatMap(exists -> overrides.ofProfile(profileId))
                .map(found -> found.stream().map(OverrideView::from).toList());
    }

    public Uni<Upserted<OverrideView>> set(String profileId, String featureId, OverrideInput input, String adminSubject) {
        if (!input.limitGiven()) {
            return Uni.createFrom().failure(ApiException.invalid("limit", "is required (null means unlimited)"));
        }
        Instant now = clock.instant();
        // the profile's lock first, as every change of a profile takes it: the override's count on the
        // profile row (V19) would otherwise be locked after the override, the other way round from
        // erasing the profile, which deletes its overrides under the profile's lock
        return pool.withTransaction(tx -> grants.lock(tx, profileId).flatMap(locked -> !Ids.mayBeCatalogId(featureId)
                ? Uni.createFrom().<Upserted<FeatureOverride>>failure(NotFound.feature(featureId))
                : overrides.upsert(tx, profileId, featureId, input.getLimit(), input.reason, adminSubject, now))
                .call(upserted -> {
                    Map<String, Object> details = new HashMap<>();
                    details.put("featureId", featureId);
                    details.put("limit", input.getLimit());
                    details.put("reason", input.reason);
                    details.put("by", adminSubject);
                    return activity.append(tx, profileId, ActivityLog.OVERRIDE_SET, details, now);
                }))
                .map(upserted -> new Upserted<>(OverrideView.from(upserted.resource()), upserted.created()))
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, OverrideRepository.FEATURE_FK))
                .transform(e -> NotFound.feature(featureId));
    }

    /** Removes the override: the tier's limit applies again. Removing one that does not exist is a success. */
    public Uni<Void> remove(String profileId, String featureId, String adminSubject) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> grants.lock(tx, profileId)
                .flatMap(locked -> overrides.delete(tx, profileId, featureId)).flatMap(removal -> switch (removal) {
            case REMOVED -> activity.append(tx, profileId, ActivityLog.OVERRIDE_REMOVED,
                    Map.of("featureId", featureId, "by", adminSubject), now);
            case NONE -> Uni.createFrom().voidItem();
            case FEATURE_NOT_FOUND -> Uni.createFrom().failure(NotFound.feature(featureId));
        }));
    }
}
