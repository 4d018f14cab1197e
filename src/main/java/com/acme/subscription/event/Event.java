package com.acme.subscription.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One event of the outbox, as stored (written only by {@link EventSql#append}). */
@Entity
@Table(name = "events")
public class Event {

    /** The order of insertion: pages and deliveries follow it. */
    @Id
    @Column(insertable = false, updatable = false)
    public Long seq;
    public UUID id;
    public String profileId;
    /** Per profile: 1, 2, 3, ... in the order the changes committed. */
    public long sequence;
    public String type;
    public Instant time;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> data;
    public Instant publishedAt;
}
