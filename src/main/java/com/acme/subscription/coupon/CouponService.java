package com.acme.subscription.coupon;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.PgErrors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

@ApplicationScoped
public class CouponService {

    /** The fields a PATCH may change; code, type, tierId and durationDays stay as created. */
    static final Set<String> PATCHABLE = Set.of("active", "validFrom", "validUntil", "description", "maxRedemptions");

    private final CouponRepository coupons;
    private final Pool pool;
    private final Clock clock;

    public CouponService(CouponRepository coupons, Pool pool, Clock clock) {
        this.coupons = coupons;
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<CouponView> create(CouponInput in, String createdBy) {
        int max = validate(in);
        String code = in.code().trim();
        return coupons.insert(in, code, max, createdBy, clock.instant())
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, CouponRepository.CODE_KEY)
                        || PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, CouponRepository.CODE_EXACT_KEY))
                .transform(e -> ApiException.conflict("coupon_code_taken", "A coupon with code '" + code + "' exists."))
                .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, CouponRepository.TIER_FK))
                .transform(e -> NotFound.tier(in.tierId()));
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

    public Uni<CouponView> get(String id) {
        return coupons.find(pool, id, false).map(found -> found.orElseThrow(() -> NotFound.coupon(id)));
    }

    public Uni<Page<CouponView>> list(Boolean active, CouponType type, Page.Request page) {
        return coupons.page(active, type, page);
    }

    /** Changes only active, validFrom, validUntil, description and maxRedemptions (not below the count: 409). */
    public Uni<CouponView> patch(String id, ObjectNode patch) {
        patch.fieldNames().forEachRemaining(field -> {
            if (!PATCHABLE.contains(field)) {
                throw ApiException.invalid(field, "cannot be changed (only " + String.join(", ", PATCHABLE.stream()
                        .sorted().toList()) + ")");
            }
        });
        return pool.withTransaction(tx -> coupons.find(tx, id, true).flatMap(found -> {
            CouponView current = found.orElseThrow(() -> NotFound.coupon(id));
            boolean active = patch.has("active") ? bool(patch.get("active")) : current.active();
            Instant validFrom = patch.has("validFrom") ? instant(patch.get("validFrom"), "validFrom") : current.validFrom();
            Instant validUntil = patch.has("validUntil") ? instant(patch.get("validUntil"), "validUntil")
                    : current.validUntil();
            String description = patch.has("description") ? text(patch.get("description")) : current.description();
            Integer max = patch.has("maxRedemptions") ? maxRedemptions(patch.get("maxRedemptions"))
                    : current.maxRedemptions();
            validWindow(validFrom, validUntil);
            if (current.type() == CouponType.SINGLE_USE && (max == null || max != 1)) {
                throw ApiException.invalid("maxRedemptions", "must be 1 for single_use coupons");
            }
            if (max != null && max < current.redemptionCount()) {
                throw new ApiException(409, "max_redemptions_below_count", "The coupon was redeemed "
                        + current.redemptionCount() + " times already.",
                        Map.of("redemptionCount", current.redemptionCount()));
            }
            return coupons.update(tx, id, active, validFrom, validUntil, description, max, clock.instant());
        }));
    }

    /** Deactivates the coupon; its history is kept. */
    public Uni<Void> deactivate(String id) {
        ObjectNode inactive = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("active", false);
        return patch(id, inactive).replaceWithVoid();
    }

    public Uni<Page<RedemptionView>> redemptions(String id, Page.Request page) {
        return get(id).flatMap(coupon -> coupons.redemptions(id, page));
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
                return Instant.parse(node.textValue());
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
        return node.textValue();
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
