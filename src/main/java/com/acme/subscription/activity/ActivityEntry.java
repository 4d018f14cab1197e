package com.acme.subscription.activity;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One entry of a profile's activity log. */
@Entity
@Table(name = "user_activity_log")
public class ActivityEntry {

    @Id
    public String id;
    /** Monotonic key: pages are ordered by it, not by the timestamp. */
    @Column(insertable = false, updatable = false)
    public Long seq;
    public String profileId;
    public String action;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> details;
    public String ipAddress;
    public String userAgent;
    public Instant created;
}
