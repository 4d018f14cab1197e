package com.acme.subscription.event;

/**
 * The outbox's way in for statements (docs/events.md): the tail of a statement that appends the
 * events in a CTE of the statement, so a set-based job announces what it changed in the statement
 * that changes it. Numbering and webhook fan-out are the events table's triggers.
 */
public final class EventSql {

    private EventSql() {
    }

    /**
     * A CTE {@code appended} ({@code seq, type}) that appends the rows of CTE {@code source}
     * ({@code profile_id, type, data, ord}) as events at {@code now}, each profile's in {@code ord}
     * order. The table's triggers number them per profile and fan them out to the webhook endpoints
     * (V10__events.sql), for every writer alike.
     */
    public static String append(String source, String now) {
        return """
                appended AS (
                    INSERT INTO events (profile_id, type, time, data)
                    SELECT profile_id, type, %2$s, data FROM %1$s ORDER BY profile_id, ord
                    RETURNING seq, type
                )""".formatted(source, now);
    }

    /** One event: $1 profile, $2 type, $3 data (JSON), $4 now. */
    static final String APPEND_ONE = """
            WITH one_event (profile_id, type, data, ord) AS (
                VALUES ($1::TEXT, $2::TEXT, $3::JSONB, 1)
            ),
            %s
            SELECT count(*) FROM appended
            """.formatted(append("one_event", "$4::TIMESTAMPTZ"));
}
