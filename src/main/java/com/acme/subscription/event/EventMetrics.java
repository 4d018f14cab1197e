package com.acme.subscription.event;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The metric {@code events.written} by type. Events are written by SQL statements and triggers
 * on every replica, so the count is the database's (table event_counts, kept by the events
 * trigger): every replica reports the same, growing value, as of its last {@link #refresh()}.
 */
@ApplicationScoped
public class EventMetrics {

    static final String WRITTEN = "SELECT type, sum(written)::BIGINT AS written FROM event_counts GROUP BY type";

    private final Pool pool;
    private final Map<EventType, AtomicLong> written = new EnumMap<>(EventType.class);

    public EventMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        for (EventType type : EventType.values()) {
            AtomicLong count = new AtomicLong();
            written.put(type, count);
            FunctionCounter.builder("events.written", count, AtomicLong::get)
                    .description("Events written to the outbox, by every replica together")
                    .tag("type", type.type()).register(registry);
        }
    }

    /** Reads the counts again; a failure keeps the last ones. */
    public Uni<Void> refresh() {
        return pool.query(WRITTEN).execute().invoke(rows -> rows.forEach(row -> {
            for (EventType type : EventType.values()) {
                if (type.type().equals(row.getString("type"))) {
                    written.get(type).set(row.getLong("written"));
                }
            }
        })).replaceWithVoid().onFailure().recoverWithNull();
    }
}
