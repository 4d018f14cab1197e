package com.acme.subscription.event;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Appends an event inside the caller's transaction, so it exists exactly when its change does
 * (the set-based jobs append theirs in their own statements, through {@link EventSql#append}).
 */
@ApplicationScoped
public class EventOutbox {

    private final ObjectMapper json;

    public EventOutbox(ObjectMapper json) {
        this.json = json;
    }

    /** @param data what the event's {@code data} holds: written as the API writes it */
    public Uni<Void> append(SqlClient tx, String profileId, EventType type, Object data, Instant now) {
        return tx.preparedQuery(EventSql.APPEND_ONE)
                .execute(Tuple.of(profileId, type.type(), new JsonObject(write(data)), Timestamps.utc(now)))
                .replaceWithVoid();
    }

    private String write(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event data not serialisable", e);
        }
    }
}
