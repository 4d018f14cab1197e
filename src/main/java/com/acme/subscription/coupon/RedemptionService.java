package com.acme.subscription.coupon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.idempotency.IdempotencyService;
import com.acme.subscription.event.EventOutbox;
import com.acme.subscription.event.EventType;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.idempotency.Reply;
import com.acme.subscription.grant.GrantRepository;
import com.acme.subscription.grant.GrantService;
import com.acme.subscription.grant.GrantView;
import com.acme.subscription.grant.NewGrant;
import com.acme.subscription.profile.ProfileRepository;
import com.acme.subscription.profile.ProfileService;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Redeeming a coupon is one transaction: redemption row, count, grant (or base-tier raise)
 * and activity entry, or none of them. The coupon row is locked, so concurrent redemptions
 * of one coupon are serialised and its count never passes maxRedemptions.
 */
@ApplicationScoped
public class RedemptionService {

    /** Answers that count as failed attempts (404, 409, 410). */
    static final Set<String> FAILURES = Set.of("coupon_not_found", "coupon_already_redeemed", "coupon_inactive",
            "coupon_not_yet_valid", "coupon_expired", "coupon_exhausted");

    /** Where a failed attempt's transaction goes back to: right after the profile's lock, which it keeps. */
    static final String SAVEPOINT = "SAVEPOINT attempt";
    static final String UNDO_ATTEMPT = "ROLLBACK TO SAVEPOINT attempt";

    private final CouponRepository coupons;
    private final RedemptionRepository redemptions;
    private final ProfileRepository profiles;
    private final ProfileService profileService;
    private final RedemptionFailures failures;
    private final GrantService grantService;
    private final GrantRepository grants;
    private final ActivityLog activity;
    private final IdempotencyService idempotency;
    private final EventOutbox events;
    private final MeterRegistry metrics;
    private final Clock clock;

    public RedemptionService(CouponRepository coupons, RedemptionRepository redemptions, ProfileRepository profiles,
            ProfileService profileService, RedemptionFailures failures, GrantService grantService,
            GrantRepository grants, ActivityLog activity, IdempotencyService idempotency, EventOutbox events, MeterRegistry metrics,
            Clock clock) {
        this.coupons = coupons;
        this.redemptions = redemptions;
        this.profiles = profiles;
        this.profileService = profileService;
        this.failures = failures;
        this.grantService = grantService;
        this.grants = grants;
        this.activity = activity;
        this.idempotency = idempotency;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The failure limit is checked inside the idempotent work: a retry of a redemption that was
     * answered gets its answer again, even once the profile is over the limit. It is checked under
     * the profile's lock, and a failed attempt is recorded before that lock is released, in the
     * attempt's own transaction: of attempts sent at once, the eleventh finds ten failures
     * (a failure recorded after its transaction would let them all through the check first).
     */
    public Uni<Response> redeem(String profileId, RedemptionInput input, IdempotentRequest request) {
        return idempotency.execute(request.about(profileId), true,
                tx -> grantService.lockAt(tx, profileId)
                        .flatMap(now -> attempt(tx, profileId, input.code(), now, request.path())),
                refusal -> {
                    count(null, refusal.code());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Under the profile's lock: the limit, then the redemption. A failed attempt (404, 409, 410) is
     * undone to the savepoint, the profile's settle included (a refusal changes nothing), recorded,
     * and answered as the work's reply, so that its transaction commits the record while holding the
     * lock. Only refusals thrown here can be undone so: an SQL error fails the whole transaction.
     */
    private Uni<Reply> attempt(SqlClient tx, String profileId, String code, Instant now, String path) {
        return tx.query(SAVEPOINT).execute()
                .flatMap(saved -> grants.settle(tx, profileId, now, activity.origin()))
                .flatMap(settled -> failures.requireAllowed(tx, profileId, now))
                .flatMap(allowed -> redeem(tx, profileId, code, now))
                .onFailure(e -> e instanceof ApiException refusal && FAILURES.contains(refusal.code()))
                .recoverWithUni(e -> {
                    ApiException refusal = (ApiException) e;
                    count(null, refusal.code());
                    return tx.query(UNDO_ATTEMPT).execute()
                            .flatMap(undone -> failures.record(tx, profileId, code, now))
                            .map(recorded -> Reply.refused(refusal, path));
                });
    }

    private Uni<Reply> redeem(SqlClient tx, String profileId, String code, Instant now) {
        return coupons.lockByCode(tx, code)
                .flatMap(found -> {
                    Coupon coupon = found.orElseThrow(() -> ApiException.notFound("coupon_not_found",
                            "There is no coupon with this code."));
                    return coupons.redeemedBefore(tx, coupon.id, profileId).flatMap(before -> {
                        refuseIfNotRedeemable(coupon, before, now);
                        return coupons.countRedemption(tx, coupon.id, now)
                                .flatMap(counted -> apply(tx, profileId, coupon, now))
                                .flatMap(grant -> {
                                    CouponRedemption redemption = new CouponRedemption();
                                    redemption.id = UUID.randomUUID().toString();
                                    redemption.couponId = coupon.id;
                                    redemption.profileId = profileId;
                                    redemption.redeemedAt = now;
                                    redemption.accessGrantId = grant == null ? null : grant.id();
                                    return coupons.insertRedemption(tx, redemption)
                                            .invoke(inserted -> {
                                                if (!inserted) {
                                                    throw alreadyRedeemed();
                                                }
                                            })
                                            .call(() -> activity.append(tx, profileId, ActivityLog.COUPON_REDEEMED,
                                                    details(coupon, grant), now))
                                            .map(inserted -> new Redeemed(RedemptionView.of(redemption, coupon), grant))
                                            .call(redeemed -> events.append(tx, profileId, EventType.COUPON_REDEEMED,
                                                    redeemed, now))
                                            .map(redeemed -> {
                                                count(coupon.type, "ok");
                                                return Reply.created(redeemed);
                                            });
                                });
                    });
                });
    }

    /** The redemption checks, in the order their answers take precedence (docs/coupons.md). */
    private static void refuseIfNotRedeemable(Coupon coupon, boolean redeemedBefore, Instant now) {
        if (redeemedBefore) {
            throw alreadyRedeemed();
        }
        if (!coupon.active) {
            throw gone("coupon_inactive", "The coupon is not active.");
        }
        if (coupon.validFrom != null && now.isBefore(coupon.validFrom)) {
            throw gone("coupon_not_yet_valid", "The coupon is not valid yet.");
        }
        if (coupon.validUntil != null && !now.isBefore(coupon.validUntil)) {
            throw gone("coupon_expired", "The coupon has expired.");
        }
        if (coupon.maxRedemptions != null && coupon.redemptionCount >= coupon.maxRedemptions) {
            throw gone("coupon_exhausted", "The coupon has been redeemed as often as it may be.");
        }
    }

    /** The grant the coupon gives, or null when a single_use coupon without duration raises the base tier. */
    private Uni<GrantView> apply(SqlClient tx, String profileId, Coupon coupon, Instant now) {
        if (coupon.durationDays == null) {
            return raiseBaseTier(tx, profileId, coupon, now).replaceWith((GrantView) null);
        }
        NewGrant grant = new NewGrant(profileId, coupon.tierId, NewGrant.COUPON, coupon.id,
                coupon.type == CouponType.WELLPASS, now, now.plus(Duration.ofDays(coupon.durationDays)));
        return grants.create(tx, grant, now, activity.origin())
                .call(created -> activity.append(tx, profileId, ActivityLog.GRANT_CREATED,
                        GrantService.details(created), now));
    }

    /** Raises the base tier to the coupon's tier; never lowers it. */
    private Uni<Void> raiseBaseTier(SqlClient tx, String profileId, Coupon coupon, Instant now) {
        return profiles.raiseBaseTier(tx, profileId, coupon.tierId, now)
                .flatMap(previous -> previous.isEmpty() ? Uni.createFrom().voidItem()
                        : activity.append(tx, profileId, ActivityLog.TIER_CHANGED,
                                Map.of("from", previous.get(), "to", coupon.tierId, "couponId", coupon.id), now)
                                .call(() -> grants.announceTiers(tx, List.of(profileId), now,
                                        GrantRepository.TierChange.COUPON_REDEEMED)));
    }

    @WithSession
    public Uni<List<RedemptionView>> ofProfile(String profileId) {
        return profileService.requireExists(profileId).flatMap(exists -> redemptions.ofProfile(profileId));
    }

    private static Map<String, Object> details(Coupon coupon, GrantView grant) {
        return grant == null
                ? Map.of("couponId", coupon.id, "code", coupon.code, "type", coupon.type.wire())
                : Map.of("couponId", coupon.id, "code", coupon.code, "type", coupon.type.wire(),
                        "grantId", grant.id());
    }

    private void count(CouponType type, String result) {
        metrics.counter("coupon.redemptions", "type", type == null ? "unknown" : type.wire(), "result", result)
                .increment();
    }

    private static ApiException alreadyRedeemed() {
        return ApiException.conflict("coupon_already_redeemed", "This profile has redeemed the coupon before.");
    }

    private static ApiException gone(String code, String detail) {
        return new ApiException(410, code, detail);
    }
}
