package com.acme.subscription.catalog;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One cell of the tier x feature matrix; a null limit is unlimited, 0 disabled. */
@Entity
@Table(name = "tier_limits")
public class TierLimit {

    @Id
    public String id;
    public String tierId;
    public String featureId;
    @Column(name = "limit_value")
    public Integer limit;
    public Instant created;
    public Instant updated;
}
