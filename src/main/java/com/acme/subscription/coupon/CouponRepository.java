package com.acme.subscription.coupon;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.acme.subscription.common.Page;
import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Coupons through Panache (create, read, list, change); the redemption's steps are the named
 * statements below, run in its transaction, whose coupon rows are read into the {@link Coupon}
 * entity by {@link #coupon(Row)}.
 */
@ApplicationScoped
public class CouponRepository implements PanacheRepositoryBase<Coupon, String> {

    static final String CODE_KEY = "idx_coupons_code";
    static final String CODE_EXACT_KEY = "coupons_code_key";
    static final String TIER_FK = "coupons_tier_id_fkey";

    /** The coupon with this code (any case), locked: redemptions of one coupon are serialised. */
    static final String LOCK_BY_CODE = """
            SELECT id, seq, code, type, tier_id, duration_days, max_redemptions, redemption_count, valid_from,
                   valid_until, active, created_by, description, created, updated
            FROM coupons WHERE lower(code) = lower($1) FOR UPDATE
            """;

    /** Counts a redemption; the CHECK constraint keeps the count from ever passing the maximum. */
    static final String COUNT_REDEMPTION = "UPDATE coupons SET redemption_count = redemption_count + 1, updated = $2 WHERE id = $1";

    /** The lock is taken: an existing row is a redemption of the past, not one running now. */
    static final String REDEEMED_BEFORE = "SELECT 1 FROM coupon_redemptions WHERE coupon_id = $1 AND profile_id = $2";

    /** The redemption row; (coupon_id, profile_id) is unique, so a profile redeems a coupon once. */
    static final String INSERT_REDEMPTION = """
            INSERT INTO coupon_redemptions (id, coupon_id, profile_id, redeemed_at, access_grant_id)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (coupon_id, profile_id) DO NOTHING
            """;

    /** One page of coupons, newest first; the caller opens the session. */
    public Uni<Page<Coupon>> page(Boolean active, CouponType type, Page.Request request) {
        List<String> where = new ArrayList<>(List.of("seq < :before"));
        Parameters parameters = Parameters.with("before", request.before());
        if (active != null) {
            where.add("active = :active");
            parameters.and("active", active);
        }
        if (type != null) {
            where.add("type = :type");
            parameters.and("type", type);
        }
        return find(String.join(" and ", where) + " order by seq desc", parameters)
                .range(0, request.fetch() - 1).list()
                .map(coupons -> Page.of(request, coupons, coupon -> coupon.seq, coupon -> coupon));
    }

    /** The coupon, locked until the transaction ends (a change is checked against the current count). */
    public Uni<Coupon> lock(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<Optional<Coupon>> lockByCode(SqlClient tx, String code) {
        return tx.preparedQuery(LOCK_BY_CODE).execute(Tuple.of(code))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(coupon(rows.iterator().next())));
    }

    public Uni<Boolean> redeemedBefore(SqlClient tx, String couponId, String profileId) {
        return tx.preparedQuery(REDEEMED_BEFORE).execute(Tuple.of(couponId, profileId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Void> countRedemption(SqlClient tx, String couponId, Instant now) {
        return tx.preparedQuery(COUNT_REDEMPTION).execute(Tuple.of(couponId, Timestamps.utc(now))).replaceWithVoid();
    }

    /**
     * Inserts the redemption; false when the profile has one of this coupon already. A conflict
     * answered without an error, so that the transaction stays usable for the refusal's record.
     */
    public Uni<Boolean> insertRedemption(SqlClient tx, CouponRedemption redemption) {
        return tx.preparedQuery(INSERT_REDEMPTION)
                .execute(Tuple.of(redemption.id, redemption.couponId, redemption.profileId,
                        Timestamps.utc(redemption.redeemedAt), redemption.accessGrantId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The one mapping of a coupons row outside Hibernate: into a detached entity. */
    static Coupon coupon(Row row) {
        Coupon coupon = new Coupon();
        coupon.id = row.getString("id");
        coupon.seq = row.getLong("seq");
        coupon.code = row.getString("code");
        coupon.type = CouponType.ofWire(row.getString("type"));
        coupon.tierId = row.getString("tier_id");
        coupon.durationDays = row.getInteger("duration_days");
        coupon.maxRedemptions = row.getInteger("max_redemptions");
        coupon.redemptionCount = row.getInteger("redemption_count");
        coupon.validFrom = Timestamps.instant(row.getOffsetDateTime("valid_from"));
        coupon.validUntil = Timestamps.instant(row.getOffsetDateTime("valid_until"));
        coupon.active = row.getBoolean("active");
        coupon.createdBy = row.getString("created_by");
        coupon.description = row.getString("description");
        coupon.created = Timestamps.instant(row.getOffsetDateTime("created"));
        coupon.updated = Timestamps.instant(row.getOffsetDateTime("updated"));
        return coupon;
    }

}
