package com.acme.subscription.coupon;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Counts;
import com.acme.subscription.common.Page;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Redemptions through Panache, newest first by their monotonic seq; the caller opens the session. */
@ApplicationScoped
public class RedemptionRepository implements PanacheRepositoryBase<CouponRedemption, String> {

    /** A redemption with its coupon (for code and type). */
    static final String WITH_COUPON = "select r, c from CouponRedemption r join Coupon c on c.id = r.couponId ";

    /** Redemptions in (since, until] by coupon type; the caller opens the session. */
    public Uni<Map<String, Long>> countsByCouponType(Instant since, Instant until) {
        return getSession().flatMap(session -> session.createSelectionQuery("""
                select c.type, count(r) from CouponRedemption r join Coupon c on c.id = r.couponId
                where r.redeemedAt > :since and r.redeemedAt <= :until group by c.type""", Object[].class)
                .setParameter("since", since).setParameter("until", until).getResultList())
                .map(rows -> Counts.byKey(rows, type -> ((CouponType) type).wire()));
    }

    public Uni<Page<RedemptionView>> ofCoupon(Coupon coupon, Page.Request request) {
        return find("couponId = ?1 and seq < ?2 order by seq desc", coupon.id, request.before())
                .range(0, request.fetch() - 1).list()
                .map(rows -> Page.of(request, rows, row -> row.seq, row -> RedemptionView.of(row, coupon)));
    }

    public Uni<List<RedemptionView>> ofProfile(String profileId) {
        return getSession().flatMap(session -> session
                .createSelectionQuery(WITH_COUPON + "where r.profileId = :profileId order by r.seq desc", Object[].class)
                .setParameter("profileId", profileId)
                .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> RedemptionView.of((CouponRedemption) row[0], (Coupon) row[1])).toList());
    }
}
