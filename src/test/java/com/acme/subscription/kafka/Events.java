package com.acme.subscription.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.event.EventOutbox;
import com.acme.subscription.event.EventType;
import com.acme.subscription.support.Database;

import io.vertx.mutiny.sqlclient.Pool;

/** Writes events the way the service's own changes do: through the outbox, in a transaction of the pool. */
@ApplicationScoped
public class Events {

    private final EventOutbox outbox;
    private final Pool pool;

    public Events(EventOutbox outbox, Pool pool) {
        this.outbox = outbox;
        this.pool = pool;
    }

    public void append(String profileId, EventType type, Object data, Instant time) {
        pool.withTransaction(tx -> outbox.append(tx, profileId, type, data, time)).await().atMost(Duration.ofSeconds(10));
    }

    /** The profile's events as stored, in the order they were written. */
    public static List<Map<String, Object>> stored(String profileId) {
        return Database.query("SELECT seq, id, sequence, published_at FROM events WHERE profile_id = ? ORDER BY seq",
                profileId);
    }
}
