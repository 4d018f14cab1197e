package com.acme.subscription.usage;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.common.database.GroupCommit;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.common.idempotency.IdempotencyService;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.idempotency.Reply;
import com.acme.subscription.entitlement.Check;
import com.acme.subscription.entitlement.EntitlementMetrics;
import com.acme.subscription.entitlement.EntitlementRules;
import com.acme.subscription.entitlement.EntitlementService;
import com.acme.subscription.entitlement.FeatureState;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

@ApplicationScoped
public class UsageService {

    private final UsageRepository usage;
    private final IdempotencyService idempotency;
    private final EntitlementMetrics metrics;
    private final Pool pool;
    private final Clock clock;
    /** Consumes that commit in one group run in one statement ({@link UsageRepository#consumeAll}). */
    private final GroupCommit.Merged<UsageRepository.Consume, UsageRepository.Outcome> consumes;

    public UsageService(UsageRepository usage, IdempotencyService idempotency, EntitlementMetrics metrics, Pool pool,
            Clock clock) {
        this.usage = usage;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.pool = pool;
        this.clock = clock;
        this.consumes = (client, group) -> usage.consumeAll(client, group, clock.instant());
    }

    /** 200 with the check after the change, or the denial as problem (409 limit_exceeded carries the check). */
    public Uni<Response> consume(String profileId, String featureId, UsageAmount amount, IdempotentRequest request) {
        UsageRepository.Consume consume = new UsageRepository.Consume(profileId, featureId, amount.amount());
        return idempotency.execute(request.about(profileId), consumes, consume,
                client -> usage.consume(client, consume, clock.instant()),
                outcome -> {
                    FeatureState feature = metered(outcome, featureId, "consume");
                    if (outcome.changed()) {
                        metrics.usage("consume", featureId, "ok");
                        return Reply.ok(EntitlementRules.check(outcome.snapshot().access(), feature, 1));
                    }
                    Check denied = EntitlementRules.check(outcome.snapshot().access(), feature, amount.amount());
                    ApiException refusal = refusal(denied);
                    metrics.usage("consume", featureId, refusal.code());
                    throw refusal;
                })
                .onFailure(UsageService::profileErasedMeanwhile).transform(e -> NotFound.profile(profileId));
    }

    /**
     * The first count of a profile erased while the statement ran: the statement found the profile,
     * and the counter's foreign key, checked once the erasure committed, did not. Nothing was written,
     * and the profile is gone, as it is for a request sent after the erasure (404).
     */
    private static boolean profileErasedMeanwhile(Throwable failure) {
        return PgErrors.is(failure, PgErrors.FOREIGN_KEY_VIOLATION, UsageRepository.PROFILE_FK);
    }

    public Uni<Response> release(String profileId, String featureId, UsageAmount amount, IdempotentRequest request) {
        return idempotency.execute(request.about(profileId), false, client -> usage
                .release(client, profileId, featureId, amount.amount(), clock.instant())
                .map(outcome -> {
                    FeatureState feature = metered(outcome, featureId, "release");
                    metrics.usage("release", featureId, "ok");
                    return Reply.ok(EntitlementRules.check(outcome.snapshot().access(), feature, 1));
                }));
    }

    public Uni<Check> reconcile(String profileId, String featureId, int used) {
        return usage.reconcile(pool, profileId, featureId, used, clock.instant()).map(outcome -> {
            FeatureState feature = metered(outcome, featureId, "reconcile");
            metrics.usage("reconcile", featureId, "ok");
            return EntitlementRules.check(outcome.snapshot().access(), feature, 1);
        }).onFailure(UsageService::profileErasedMeanwhile).transform(e -> NotFound.profile(profileId));
    }

    private FeatureState metered(UsageRepository.Outcome outcome, String featureId, String operation) {
        FeatureState feature = EntitlementService.requireFeature(outcome.snapshot(), featureId);
        if (feature.limitType() == LimitType.BOOLEAN) {
            metrics.usage(operation, featureId, "not_metered");
            throw new ApiException(400, "not_metered",
                    "Feature '" + featureId + "' is a boolean feature: it has no counter.");
        }
        return feature;
    }

    private static ApiException refusal(Check denied) {
        String reason = denied.reason();
        if (EntitlementRules.EMAIL_NOT_VERIFIED.equals(reason) || EntitlementRules.ACCESS_DISABLED.equals(reason)
                || EntitlementRules.FEATURE_DISABLED.equals(reason)) {
            return new ApiException(403, reason, "The profile may not use feature '" + denied.featureId() + "'.",
                    Map.of("entitlement", denied));
        }
        // limit_reached, or a counter that cannot grow any further
        return new ApiException(409, "limit_exceeded", "Consuming this amount would exceed the limit of feature '"
                + denied.featureId() + "'.", Map.of("entitlement", denied));
    }
}
