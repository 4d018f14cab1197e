package com.acme.subscription.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import com.acme.subscription.event.EventSql;

/**
 * Appends events the way the service does (the same statement tail: numbering and webhook
 * fan-out), through JDBC, for tests of what consumes events.
 */
public final class Events {

    private static final String APPEND = """
            WITH one_event (profile_id, type, data, ord) AS (
                VALUES (?::TEXT, ?::TEXT, ?::JSONB, 1)
            ),
            %s
            SELECT max(seq) FROM appended
            """.formatted(EventSql.append("one_event", "?::TIMESTAMPTZ"));

    private Events() {
    }

    /** Appends one event at {@code time} and answers its id. */
    public static String append(String profileId, String type, String dataJson, Instant time) {
        try (Connection c = Database.connect(); PreparedStatement st = c.prepareStatement(APPEND)) {
            // the tail names "now" twice (events.time, deliveries' times): JDBC binds each placeholder
            int params = st.getParameterMetaData().getParameterCount();
            st.setString(1, profileId);
            st.setString(2, type);
            st.setString(3, dataJson);
            for (int i = 4; i <= params; i++) {
                st.setTimestamp(i, Timestamp.from(time));
            }
            long seq;
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            // a CTE's rows are not visible to its own statement: the id is read after it
            try (PreparedStatement id = c.prepareStatement("SELECT id::TEXT FROM events WHERE seq = ?")) {
                id.setLong(1, seq);
                try (ResultSet rs = id.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
