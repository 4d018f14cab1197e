package com.acme.subscription.coupon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Coupons and their redemptions. */
@ApplicationScoped
public class CouponRepository {

    static final String CODE_KEY = "idx_coupons_code";
    static final String CODE_EXACT_KEY = "coupons_code_key";
    static final String TIER_FK = "coupons_tier_id_fkey";

    private final Pool pool;

    public CouponRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<CouponView> insert(CouponInput in, String code, int maxRedemptions, String createdBy, Instant now) {
        return pool.preparedQuery("""
                INSERT INTO coupons (id, code, type, tier_id, duration_days, max_redemptions, valid_from, valid_until,
                                     active, created_by, description, created, updated)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
                RETURNING %s
                """.formatted(CouponView.COLUMNS))
                .execute(Tuple.from(Arrays.asList(UUID.randomUUID().toString(), code, in.type().wire(), in.tierId(),
                        in.durationDays(), maxRedemptions == 0 ? null : maxRedemptions, Timestamps.utc(in.validFrom()),
                        Timestamps.utc(in.validUntil()), in.active() == null || in.active(), createdBy,
                        in.description(), Timestamps.utc(now))))
                .map(rows -> CouponView.from(rows.iterator().next()));
    }

    public Uni<Optional<CouponView>> find(SqlClient client, String id, boolean lock) {
        return client.preparedQuery("SELECT %s FROM coupons WHERE id = $1%s".formatted(CouponView.COLUMNS,
                lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(CouponView.from(rows.iterator().next())));
    }

    /** The coupon with this code (trimmed, any case), locked: redemptions of one coupon are serialised. */
    public Uni<Optional<CouponView>> lockByCode(SqlClient tx, String code) {
        return tx.preparedQuery("SELECT %s FROM coupons WHERE lower(code) = lower($1) FOR UPDATE"
                .formatted(CouponView.COLUMNS))
                .execute(Tuple.of(code))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(CouponView.from(rows.iterator().next())));
    }

    public Uni<Page<CouponView>> page(Boolean active, CouponType type, Page.Request request) {
        return pool.preparedQuery("""
                SELECT %s FROM coupons
                WHERE seq < $1 AND ($2::BOOLEAN IS NULL OR active = $2) AND ($3::TEXT IS NULL OR type = $3)
                ORDER BY seq DESC LIMIT $4
                """.formatted(CouponView.COLUMNS))
                .execute(Tuple.from(Arrays.asList(request.before(), active, type == null ? null : type.wire(),
                        request.fetch())))
                .map(rows -> Page.of(request, list(rows), row -> row.getLong("seq"), CouponView::from));
    }

    public Uni<CouponView> update(SqlClient tx, String id, boolean active, Instant validFrom, Instant validUntil,
            String description, Integer maxRedemptions, Instant now) {
        return tx.preparedQuery("""
                UPDATE coupons SET active = $2, valid_from = $3, valid_until = $4, description = $5,
                                   max_redemptions = $6, updated = $7
                WHERE id = $1 RETURNING %s
                """.formatted(CouponView.COLUMNS))
                .execute(Tuple.from(Arrays.asList(id, active, Timestamps.utc(validFrom), Timestamps.utc(validUntil),
                        description, maxRedemptions, Timestamps.utc(now))))
                .map(rows -> CouponView.from(rows.iterator().next()));
    }

    /** Counts a redemption; the CHECK constraint keeps the count from ever passing the maximum. */
    public Uni<Void> countRedemption(SqlClient tx, String couponId, Instant now) {
        return tx.preparedQuery("UPDATE coupons SET redemption_count = redemption_count + 1, updated = $2 WHERE id = $1")
                .execute(Tuple.of(couponId, Timestamps.utc(now)))
                .replaceWithVoid();
    }

    public Uni<Boolean> redeemedBy(SqlClient tx, String couponId, String profileId) {
        return tx.preparedQuery("SELECT 1 FROM coupon_redemptions WHERE coupon_id = $1 AND profile_id = $2")
                .execute(Tuple.of(couponId, profileId))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<RedemptionView> insertRedemption(SqlClient tx, String couponId, String profileId, String grantId,
            Instant now) {
        return tx.preparedQuery("""
                WITH r AS (
                    INSERT INTO coupon_redemptions (id, coupon_id, profile_id, redeemed_at, access_grant_id)
                    VALUES ($1, $2, $3, $4, $5) RETURNING *
                )
                SELECT r.id, r.seq, r.coupon_id, r.profile_id, c.code, c.type, r.redeemed_at, r.access_grant_id
                FROM r JOIN coupons c ON c.id = r.coupon_id
                """)
                .execute(Tuple.from(Arrays.asList(UUID.randomUUID().toString(), couponId, profileId,
                        Timestamps.utc(now), grantId)))
                .map(rows -> RedemptionView.from(rows.iterator().next()));
    }

    public Uni<Page<RedemptionView>> redemptions(String couponId, Page.Request request) {
        return pool.preparedQuery(RedemptionView.SELECT + "WHERE r.coupon_id = $1 AND r.seq < $2 ORDER BY r.seq DESC LIMIT $3")
                .execute(Tuple.of(couponId, request.before(), request.fetch()))
                .map(rows -> Page.of(request, list(rows), row -> row.getLong("seq"), RedemptionView::from));
    }

    /** The profile's redemptions, newest first, or empty when there is no such profile. */
    public Uni<Optional<List<RedemptionView>>> ofProfile(String profileId) {
        return pool.preparedQuery("""
                SELECT p.id AS profile, r.id, r.coupon_id, r.profile_id, c.code, c.type, r.redeemed_at, r.access_grant_id
                FROM profiles p
                LEFT JOIN coupon_redemptions r ON r.profile_id = p.id
                LEFT JOIN coupons c ON c.id = r.coupon_id
                WHERE p.id = $1 ORDER BY r.seq DESC
                """)
                .execute(Tuple.of(profileId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    List<RedemptionView> views = new ArrayList<>();
                    rows.forEach(row -> {
                        if (row.getString("id") != null) {
                            views.add(RedemptionView.from(row));
                        }
                    });
                    return Optional.of(views);
                });
    }

    private static List<Row> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        return list;
    }
}
