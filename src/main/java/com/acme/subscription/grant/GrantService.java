package com.acme.subscription.grant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.common.idempotency.IdempotencyService;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.idempotency.Reply;
import com.acme.subscription.common.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

@ApplicationScoped
public class GrantService {

    static final String GRANT_FK_TIER = "access_grants_tier_id_fkey";

    private final GrantRepository grants;
    private final ActivityLog activity;
    private final IdempotencyService idempotency;
    private final Pool pool;
    private final Clock clock;

    public GrantService(GrantRepository grants, ActivityLog activity, IdempotencyService idempotency, Pool pool,
            Clock clock) {
        this.grants = grants;
        this.activity = activity;
        this.idempotency = idempotency;
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * Takes the profile's lock ({@link #lockAt}; 404 if there is no profile) and brings its grants up
     * to the time it answers, with the request's origin on the activity entries.
     */
    public Uni<Instant> lockAndSettle(SqlClient tx, String profileId) {
        Origin origin = activity.origin();
        return lockAt(tx, profileId).call(now -> grants.settle(tx, profileId, now, origin));
    }

    /**
     * Takes the profile's lock and answers the time of the change made under it: the clock read once
     * the lock is held, and never earlier than the last change to the profile's grants, which another
     * replica's clock may have put a little ahead of this one's. So the time is no earlier than that of
     * any change committed before: a grant created at an earlier time would not see a Wellpass
     * redeemed while it waited, and stay active beside it.
     */
    public Uni<Instant> lockAt(SqlClient tx, String profileId) {
        return lock(tx, profileId).flatMap(locked -> grants.lastChange(tx, profileId)).map(last -> {
            Instant now = clock.instant();
            return last.filter(now::isBefore).orElse(now);
        });
    }

    /** Takes the profile's lock ({@link GrantRepository#lockProfile}) for the transaction; 404 if there is no profile. */
    public Uni<Void> lock(SqlClient tx, String profileId) {
        return grants.lockProfile(tx, profileId).map(found -> {
            if (!found) {
                throw NotFound.profile(profileId);
            }
            return null;
        });
    }

    /** Settles in a transaction of its own, then lists through Panache what that left. */
    public Uni<List<GrantView>> list(String profileId, boolean includeInactive) {
        return pool.withTransaction(tx -> lockAndSettle(tx, profileId))
                .flatMap(now -> Panache.withSession(() -> grants.listed(profileId, includeInactive, now)))
                .map(listed -> listed.stream().map(GrantView::from).toList());
    }

    public Uni<Response> create(Caller caller, String profileId, GrantInput input, IdempotentRequest request) {
        if ((input.days() == null) == (input.validUntil() == null)) {
            throw ApiException.invalid(input.days() == null ? "days" : "validUntil",
                    "give either days or validUntil");
        }
        validUntil(input, clock.instant());
        String grantedBy = caller.admin() ? NewGrant.ADMIN : NewGrant.SUBSCRIPTION;
        Origin origin = activity.origin();
        return idempotency.execute(request.about(profileId), true, tx -> lockAndSettle(tx, profileId)
                .flatMap(now -> {
                    NewGrant grant = new NewGrant(profileId, input.tierId(), grantedBy, null, false, now,
                            validUntil(input, now));
                    return grants.create(tx, grant, now, origin)
                            .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, GRANT_FK_TIER))
                            .transform(e -> NotFound.tier(input.tierId()))
                            .call(created -> {
                                Map<String, Object> details = details(created);
                                if (input.reason() != null) {
                                    details.put("reason", input.reason());
                                }
                                details.put("by", caller.subject());
                                return activity.append(tx, profileId, ActivityLog.GRANT_CREATED, details, now);
                            });
                })
                .map(Reply::created));
    }

    /** The end of the grant {@code input} asks for, created at {@code now}; 400 unless it is later. */
    private static Instant validUntil(GrantInput input, Instant now) {
        Instant validUntil = input.days() != null ? now.plus(Duration.ofDays(input.days())) : input.validUntil();
        if (!validUntil.isAfter(now)) {
            throw ApiException.invalid("validUntil", "must be in the future");
        }
        return validUntil;
    }

    public Uni<Void> revoke(String profileId, String grantId, String adminSubject) {
        Origin origin = activity.origin();
        return pool.withTransaction(tx -> lockAndSettle(tx, profileId)
                .flatMap(now -> grants.findGrant(tx, profileId, grantId).flatMap(found -> {
                    GrantView grant = found.orElseThrow(() -> NotFound.grant(profileId, grantId));
                    if (grant.revokedAt() != null) {
                        return Uni.createFrom().voidItem();
                    }
                    return grants.revoke(tx, grantId, now, origin)
                            .call(revoked -> activity.append(tx, profileId, ActivityLog.GRANT_REVOKED,
                                    Map.of("grantId", grantId, "tierId", revoked.tierId(), "by", adminSubject), now))
                            .replaceWithVoid();
                })));
    }

    /** Activity details of a created grant. */
    public static Map<String, Object> details(GrantView grant) {
        Map<String, Object> details = new HashMap<>();
        details.put("grantId", grant.id());
        details.put("tierId", grant.tierId());
        details.put("grantedBy", grant.grantedBy());
        details.put("wellpass", grant.wellpass());
        details.put("validUntil", grant.validUntil().toString());
        if (grant.pausedBy() != null) {
            details.put("pausedBy", grant.pausedBy());
        }
        if (grant.couponId() != null) {
            details.put("couponId", grant.couponId());
        }
        return details;
    }
}
