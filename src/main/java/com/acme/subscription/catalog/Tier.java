package com.acme.subscription.catalog;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A subscription tier; its {@code sortOrder} ranks it (higher is more generous). */
@Entity
@Table(name = "tiers")
@Schema(name = "Tier")
public class Tier {

    @Id
    public String id;
    public String name;
    @Schema(nullable = true)
    public String description;
    @Schema(nullable = true)
    public Integer priceMonthlyCents;
    @Schema(nullable = true)
    public Integer priceYearlyCents;
    @Schema(nullable = true)
    public String stripePriceIdMonthly;
    @Schema(nullable = true)
    public String stripePriceIdYearly;
    public boolean active;
    public int sortOrder;
    public Instant created;
    public Instant updated;
}
