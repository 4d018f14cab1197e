package com.acme.subscription.profile;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Aggregated figures of one profile, created with it and kept in step by logins, consumes and releases. */
@Entity
@Table(name = "user_stats")
public class UserStats {

    @Id
    public String profileId;
    public Instant lastLogin;
    public int loginCount;
    public int weightEntriesCount;
    public int aiCallsCount;
    public int photosCount;
    public int totalDataPoints;
    public Instant created;
    public Instant updated;
}
