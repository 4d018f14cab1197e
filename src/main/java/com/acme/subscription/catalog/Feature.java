package com.acme.subscription.catalog;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An entry of the feature registry: what can be limited, and how. */
@Entity
@Table(name = "features")
@Schema(name = "Feature")
public class Feature {

    @Id
    public String id;
    public String name;
    @Schema(nullable = true)
    public String description;
    @Schema(nullable = true)
    public String category;
    public LimitType limitType;
    public ResetPeriod resetPeriod;
    /** Applies where a tier has no limit for the feature; null is unlimited, 0 disabled. */
    @Schema(nullable = true)
    public Integer defaultLimit;
    public boolean active;
    public Instant created;
    public Instant updated;
}
