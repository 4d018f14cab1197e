package com.acme.subscription.catalog;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A subscription tier; its {@code sortOrder} ranks it (higher is more generous). */
@Entity
@Table(name = "tiers")
public class Tier {

    @Id
    public String id;
    public String name;
    public String description;
    public Integer priceMonthlyCents;
    public Integer priceYearlyCents;
    public String stripePriceIdMonthly;
    public String stripePriceIdYearly;
    public boolean active;
    public int sortOrder;
    public Instant created;
    public Instant updated;
}
