package com.acme.subscription.event;

/**
 * The outbox's one way in (docs/events.md): the tail of a statement that appends the events in a
 * CTE of the statement. Every writer of events, a request's transaction or a set-based job,
 * ends its statement with {@link #append}, so numbering and webhook fan-out live here only.
 */
public final class EventSql {

    private EventSql() {
    }

    /**
     * CTEs that append the rows of CTE {@code source} ({@code profile_id, type, data, ord}) as events
     * at {@code now}: each profile's events numbered on from its counter, in {@code ord} order (the
     * counter row stays locked until the transaction ends, so numbers follow commit order), and one
     * pending delivery per active webhook endpoint that wants the type. Leaves {@code appended}
     * ({@code seq, type}) for the statement's own result.
     */
    public static String append(String source, String now) {
        return """
                %1$s_counts AS (
                    SELECT profile_id, count(*) AS n FROM %1$s GROUP BY profile_id
                ),
                %1$s_numbers AS (
                    INSERT INTO event_sequences AS s (profile_id, last)
                    SELECT profile_id, n FROM %1$s_counts
                    ON CONFLICT (profile_id) DO UPDATE SET last = s.last + EXCLUDED.last
                    RETURNING profile_id, last
                ),
                appended AS (
                    INSERT INTO events (id, profile_id, sequence, type, time, data)
                    SELECT gen_random_uuid(), e.profile_id,
                           n.last - c.n + row_number() OVER (PARTITION BY e.profile_id ORDER BY e.ord),
                           e.type, %2$s, e.data
                    FROM %1$s e JOIN %1$s_numbers n USING (profile_id) JOIN %1$s_counts c USING (profile_id)
                    RETURNING seq, type
                ),
                fanned_out AS (
                    INSERT INTO webhook_deliveries (endpoint_id, event_seq, next_attempt_at, created)
                    SELECT w.id, a.seq, %2$s, %2$s
                    FROM appended a
                    JOIN webhook_endpoints w ON w.active AND (cardinality(w.event_types) = 0 OR a.type = ANY (w.event_types))
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
