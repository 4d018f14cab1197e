package com.acme.subscription.coupon;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What redeeming a coupon does. */
public enum CouponType {
    /** Redeemable once in total: a grant for durationDays, or without it a permanent raise of the base tier. */
    @JsonProperty("single_use")
    SINGLE_USE,
    /** A grant of tierId for durationDays. */
    @JsonProperty("period")
    PERIOD,
    /** Like period, and while it runs every other grant of the profile is paused. */
    @JsonProperty("wellpass")
    WELLPASS;

    public String wire() {
        return name().toLowerCase();
    }

    public static CouponType ofWire(String value) {
        return valueOf(value.toUpperCase());
    }

    /** Stored as its wire name. */
    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements jakarta.persistence.AttributeConverter<CouponType, String> {
        @Override
        public String convertToDatabaseColumn(CouponType type) {
            return type == null ? null : type.wire();
        }

        @Override
        public CouponType convertToEntityAttribute(String column) {
            return column == null ? null : ofWire(column);
        }
    }
}
