package com.acme.subscription.coupon;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A redeemable code; {@code type} is single_use, period or wellpass. */
@Entity
@Table(name = "coupons")
public class Coupon {

    @Id
    public String id;
    /** Monotonic key for keyset pagination, assigned by the database. */
    @Column(insertable = false, updatable = false)
    public Long seq;
    public String code;
    public CouponType type;
    public String tierId;
    public Integer durationDays;
    public Integer maxRedemptions;
    public int redemptionCount;
    public Instant validFrom;
    public Instant validUntil;
    public boolean active;
    public String createdBy;
    public String description;
    public Instant created;
    public Instant updated;
}
