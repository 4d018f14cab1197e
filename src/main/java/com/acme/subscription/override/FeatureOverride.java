package com.acme.subscription.override;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A per-profile limit that beats the tier's; null is unlimited, 0 disabled. */
@Entity
@Table(name = "user_feature_restrictions")
public class FeatureOverride {

    @Id
    public String id;
    public String profileId;
    public String featureId;
    @Column(name = "limit_value")
    public Integer limit;
    public String reason;
    public String createdBy;
    public Instant created;
    public Instant updated;
}
