package com.acme.subscription.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.acme.subscription.support.Database;
import com.acme.subscription.support.Profiles;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What the events table's triggers cost a statement that appends many events (V14): numbering per
 * event, counting, fan-out and wake-ups once per statement, the JSON helpers inlined; and the
 * time-ordered ids of events and activity entries (V15). Each test
 * works in a transaction of its own that it rolls back, or on profiles nobody else uses.
 */
@QuarkusTest
class EventTriggersTest {

    private static final int EVENTS = 20;

    @Test
    void aStatementOfManyEventsNumbersEachAndCountsAndFansThemOutOnce() throws SQLException {
        String profile = "triggers-" + UUID.randomUUID();
        try (Connection c = Database.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO webhook_endpoints (id, url, event_types, secret, created, updated) VALUES "
                        + "('wants-it', 'http://localhost:1/', '{grant.created}', 's', now(), now()),"
                        + "('wants-others', 'http://localhost:1/', '{usage.reset}', 's', now(), now())");
                long writtenBefore = single(st, "SELECT coalesce(sum(written), 0) FROM event_counts WHERE type = 'grant.created'");

                st.execute("INSERT INTO events (profile_id, type, time, data) SELECT '" + profile
                        + "', 'grant.created', now(), jsonb_build_object('n', i) FROM generate_series(1, " + EVENTS + ") i");

                assertEquals(EVENTS, single(st, "SELECT count(DISTINCT sequence) FROM events WHERE profile_id = '" + profile
                        + "' AND sequence BETWEEN 1 AND " + EVENTS));
                assertEquals(writtenBefore + EVENTS,
                        single(st, "SELECT sum(written) FROM event_counts WHERE type = 'grant.created'"));
                // one row of event_counts written for the statement, not one update per event
                assertEquals(1, single(st, "SELECT pg_stat_get_xact_tuples_inserted('event_counts'::regclass)"
                        + " + pg_stat_get_xact_tuples_updated('event_counts'::regclass)"));
                assertEquals(EVENTS, single(st, "SELECT count(*) FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq"
                        + " WHERE e.profile_id = '" + profile + "' AND d.endpoint_id = 'wants-it'"));
                assertEquals(0, single(st, "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = 'wants-others'"));
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void theJsonHelpersAreInlinedNotCalledPerRow() throws SQLException {
        try (Connection c = Database.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // counts the calls of SQL functions too; an inlined function is never called
                st.execute("SET LOCAL track_functions = 'all'");
                st.execute("SELECT grant_json(jsonb_populate_record(NULL::access_grants, jsonb_build_object('id', 'g-' || i,"
                        + " 'valid_from', now(), 'created', now()))) FROM generate_series(1, " + EVENTS + ") i");
                st.execute("SELECT * FROM generate_series(1, " + EVENTS + ") i,"
                        + " usage_threshold_events('f', 100, 100, now(), 0, 100, '{80,100}') e");

                assertEquals(0, single(st, "SELECT coalesce(pg_stat_get_xact_function_calls('grant_json(access_grants)'::regprocedure), 0)"));
                assertEquals(0, single(st, "SELECT coalesce(pg_stat_get_xact_function_calls('api_instant(timestamptz)'::regprocedure), 0)"));
                assertEquals(0, single(st, "SELECT coalesce(pg_stat_get_xact_function_calls("
                        + "'usage_threshold_events(text, integer, integer, timestamptz, integer, integer, integer[])'::regprocedure), 0)"));
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void aStatementThatAppendsNoEventWakesNobody() throws SQLException {
        String profile = "triggers-" + UUID.randomUUID();
        try (Connection listener = Database.connect(); Connection writer = Database.connect()) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN events_written");
                listen.execute("LISTEN test_marker");
            }
            try (Statement st = writer.createStatement()) {
                st.execute("INSERT INTO events (profile_id, type, time, data) SELECT '" + profile
                        + "', 'grant.created', now(), '{}' WHERE false");
                st.execute("NOTIFY test_marker, 'empty'");
                st.execute("INSERT INTO events (profile_id, type, time, data) SELECT '" + profile
                        + "', 'grant.created', now(), '{}' FROM generate_series(1, 3)");
                st.execute("NOTIFY test_marker, 'three'");
            }
            // notifications arrive in the order of the commits (autocommit: each statement is one)
            assertEquals(List.of("test_marker:empty", "events_written:", "test_marker:three"), notifications(listener, 3));
        } finally {
            Database.update("DELETE FROM events WHERE profile_id = ?", profile);
        }
    }

    @Test
    void eventsAndActivityEntriesGetTimeOrderedIds() {
        String profile = Profiles.onTier("free");
        long now = System.currentTimeMillis();
        List<Object> ids = new ArrayList<>();
        Database.query("SELECT id FROM events WHERE profile_id = ?", profile).forEach(row -> ids.add(row.get("id")));
        Database.query("SELECT id FROM user_activity_log WHERE profile_id = ?", profile).forEach(row -> ids.add(row.get("id")));
        assertTrue(ids.size() >= 2, "an event and an activity entry: " + ids);
        for (Object id : ids) {
            UUID uuid = UUID.fromString(id.toString());
            assertEquals(7, uuid.version(), uuid.toString());
            // the first 48 bits: the Unix time in milliseconds at which it was written
            long written = uuid.getMostSignificantBits() >>> 16;
            assertTrue(written <= now && written > now - 60_000, uuid + " written at " + written + ", now " + now);
        }
    }

    private static List<String> notifications(Connection listener, int count) throws SQLException {
        List<String> received = new ArrayList<>();
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (received.size() < count) {
            PGNotification[] batch = pg.getNotifications(10_000);
            if (batch == null || batch.length == 0) {
                break;
            }
            for (PGNotification notification : batch) {
                received.add(notification.getName() + ":" + notification.getParameter());
            }
        }
        return received;
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
