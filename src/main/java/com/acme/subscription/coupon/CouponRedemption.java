package com.acme.subscription.coupon;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One profile's redemption of one coupon (at most one per pair). */
@Entity
@Table(name = "coupon_redemptions")
public class CouponRedemption {

    @Id
    public String id;
    @Column(insertable = false, updatable = false)
    public Long seq;
    public String couponId;
    public String profileId;
    public Instant redeemedAt;
    public String accessGrantId;
}
