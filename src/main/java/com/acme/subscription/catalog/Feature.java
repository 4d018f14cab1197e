package com.acme.subscription.catalog;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entry of the feature registry: what can be limited, and how. */
@Entity
@Table(name = "features")
public class Feature {

    @Id
    public String id;
    public String name;
    public String description;
    public String category;
    public LimitType limitType;
    public ResetPeriod resetPeriod;
    /** Applies where a tier has no limit for the feature; null is unlimited, 0 disabled. */
    public Integer defaultLimit;
    public boolean active;
    public Instant created;
    public Instant updated;
}
