package com.acme.subscription.usage;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A profile's counter of one metered feature, for the period that ends at {@code resetAt}. */
@Entity
@Table(name = "user_feature_usage")
public class FeatureUsage {

    @Id
    public String id;
    public String profileId;
    public String featureId;
    public int usageCount;
    /** End of the current period; null for features that never reset. */
    public Instant resetAt;
    public Instant created;
    public Instant updated;
}
