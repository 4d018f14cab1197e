package com.acme.subscription.grant;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Time-limited access to a tier. A Wellpass grant pauses the profile's other grants;
 * a paused grant keeps its exact remaining time in {@code remainingSeconds}. The one source of
 * {@link GrantView}: listings read it through Panache, statements map their rows into it.
 */
@Entity
@Table(name = "access_grants")
public class AccessGrant {

    @Id
    public String id;
    public String profileId;
    public String tierId;
    public String grantedBy;
    public String couponId;
    public Instant validFrom;
    public Instant validUntil;
    public boolean isActive;
    public String pausedBy;
    public Instant pausedAt;
    public Integer remainingDays;
    public Long remainingSeconds;
    public boolean wellpass;
    /** The Stripe subscription that pays for it (billing); never paused by a Wellpass grant. */
    public String subscriptionId;
    public Instant revokedAt;
    public Instant created;
    public Instant updated;
}
