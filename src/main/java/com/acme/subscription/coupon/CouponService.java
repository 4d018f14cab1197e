package com.acme.subscription.coupon;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.StrictJsonCustomizer;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;

@ApplicationScoped
public class CouponService {

    /** The fields a PATCH may change; code, type, tierId and durationDays stay as created. */
    static final Set<String> PATCHABLE = Set.of("active", "validFrom", "validUntil", "description", "maxRedemptions");

    private final CouponRepository coupons;
    private final RedemptionRepository redemptions;
    private final Clock clock;

    public CouponService(CouponRepository coupons, RedemptionRepository redemptions, Clock clock) {
        this.coupons = coupons;
        this.redemptions = redemptions;
        this.clock = clock;
    }

    public Uni<CouponView> create(CouponInput in, String createdBy) {
        int max = validate(in);
        String code = in.code().trim();
        return insert(in, code, max, createdBy)
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, CouponRepository.CODE_KEY)
                        || PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, CouponRepository.CODE_EXACT_KEY))
                .transform(e -> ApiException.conflict("coupon_code_taken", "A coupon with code '" + code + "' exists."))
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, CouponRepository.TIER_FK))
                .transform(e -> NotFound.tier(in.tierId()))
                .map(CouponView::from);
    }

    /** The unique code and the tier's foreign key decide when the transaction flushes. */
    @WithTransaction
    Uni<Coupon> insert(CouponInput in, String code, int maxRedemptions, String createdBy) {
        Instant now = clock.instant();
        Coupon coupon = new Coupon();
        coupon.id = UUID.randomUUID().toString();
        coupon.code = code;
        coupon.type = in.type();
        coupon.tierId = in.tierId();
        coupon.durationDays = in.durationDays();
        coupon.maxRedemptions = maxRedemptions == 0 ? null : maxRedemptions;
        coupon.validFrom = in.validFrom();
        coupon.validUntil = in.validUntil();
        coupon.active = in.active() == null || in.active();
        coupon.createdBy = createdBy;
        coupon.description = in.description();
        coupon.created = now;
        coupon.updated = now;
        return coupons.persist(coupon);
    }

    /** The coupon rules that a single field cannot express (docs/coupons.md); answers maxRedemptions (0: unlimited). */
    private static int validate(CouponInput in) {
        if (in.type() != CouponType.SINGLE_USE && in.durationDays() == null) {
            throw ApiException.invalid("durationDays", "is required for period and wellpass coupons");
        }
        if (in.type() == CouponType.SINGLE_USE && in.maxRedemptions() != null && in.maxRedemptions() != 1) {
            throw ApiException.invalid("maxRedemptions", "must be 1 for single_use coupons");
        }
        validWindow(in.validFrom(), in.validUntil());
        if (in.type() == CouponType.SINGLE_USE) {
            return 1;
        }
        return in.maxRedemptions() == null ? 0 : in.maxRedemptions();
    }

    private static void validWindow(Instant from, Instant until) {
        if (from != null && until != null && !from.isBefore(until)) {
            throw ApiException.invalid("validUntil", "must be after validFrom");
        }
    }

    @WithSession
    public Uni<CouponView> get(String id) {
        return find(id).map(CouponView::from);
    }

    private Uni<Coupon> find(String id) {
        return coupons.findById(id).onItem().ifNull().failWith(() -> NotFound.coupon(id));
    }

    @WithSession
    public Uni<Page<CouponView>> list(Boolean active, CouponType type, Page.Request page) {
        return coupons.page(active, type, page)
                .map(found -> new Page<>(found.items().stream().map(CouponView::from).toList(), found.nextCursor()));
    }

    /** Changes only active, validFrom, validUntil, description and maxRedemptions (not below the count: 409). */
    public Uni<CouponView> patch(String id, ObjectNode patch) {
        patch.fieldNames().forEachRemaining(field -> {
            if (!PATCHABLE.contains(field)) {
                throw ApiException.invalid(field, "cannot be changed (only " + String.join(", ", PATCHABLE.stream()
                        .sorted().toList()) + ")");
            }
        });
        return change(id, patch).map(CouponView::from);
    }

    /** Under the coupon's row lock, so a concurrent redemption cannot pass a lowered maximum. */
    @WithTransaction
    Uni<Coupon> change(String id, ObjectNode patch) {
        return coupons.lock(id).onItem().ifNull().failWith(() -> NotFound.coupon(id)).map(coupon -> {
            boolean active = patch.has("active") ? bool(patch.get("active")) : coupon.active;
            Instant validFrom = patch.has("validFrom") ? instant(patch.get("validFrom"), "validFrom") : coupon.validFrom;
            Instant validUntil = patch.has("validUntil") ? instant(patch.get("validUntil"), "validUntil")
                    : coupon.validUntil;
            String description = patch.has("description") ? text(patch.get("description")) : coupon.description;
            Integer max = patch.has("maxRedemptions") ? maxRedemptions(patch.get("maxRedemptions"))
                    : coupon.maxRedemptions;
            validWindow(validFrom, validUntil);
            if (coupon.type == CouponType.SINGLE_USE && (max == null || max != 1)) {
                throw ApiException.invalid("maxRedemptions", "must be 1 for single_use coupons");
            }
            if (max != null && max < coupon.redemptionCount) {
                throw new ApiException(409, "max_redemptions_below_count", "The coupon was redeemed "
                        + coupon.redemptionCount + " times already.",
                        Map.of("redemptionCount", coupon.redemptionCount));
            }
            coupon.active = active;
            coupon.validFrom = validFrom;
            coupon.validUntil = validUntil;
            coupon.description = description;
            coupon.maxRedemptions = max;
            coupon.updated = clock.instant();
            return coupon;
        });
    }

    /** Deactivates the coupon; its history is kept. */
    public Uni<Void> deactivate(String id) {
        ObjectNode inactive = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("active", false);
        return patch(id, inactive).replaceWithVoid();
    }

    @WithSession
    public Uni<Page<RedemptionView>> redemptions(String id, Page.Request page) {
        return find(id).flatMap(coupon -> redemptions.ofCoupon(coupon, page));
    }

    private static boolean bool(JsonNode node) {
        if (!node.isBoolean()) {
            throw ApiException.invalid("active", "must be true or false");
        }
        return node.booleanValue();
    }

    private static Instant instant(JsonNode node, String field) {
        if (node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                return Timestamps.parse(node.textValue());
            }
        } catch (DateTimeParseException e) {
            // the 400 below
        }
        throw ApiException.invalid(field, "must be an ISO-8601 UTC timestamp or null");
    }

    private static String text(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > 1000) {
            throw ApiException.invalid("description", "must be a string of at most 1000 characters or null");
        }
        return StrictJsonCustomizer.storable("description", node.textValue());
    }

    private static Integer maxRedemptions(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw ApiException.invalid("maxRedemptions", "must be a positive integer or null (unlimited)");
        }
        return node.intValue();
    }
}
