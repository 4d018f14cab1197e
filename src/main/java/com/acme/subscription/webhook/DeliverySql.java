package com.acme.subscription.webhook;

/**
 * The dispatcher's statements. A batch is claimed in one short statement: due deliveries are
 * locked with SKIP LOCKED (another replica's claim skips them) and leased by moving their next
 * attempt past the lease, so no transaction stays open while the receivers answer. A replica that
 * dies before it marks its deliveries leaves them to be sent again when the lease runs out.
 */
final class DeliverySql {

    private DeliverySql() {
    }

    /** $1 now, $2 batch size, $3 lease end. */
    static final String CLAIM = """
            WITH due AS (
                SELECT d.endpoint_id, d.event_seq
                FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.active
                WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                ORDER BY d.next_attempt_at
                LIMIT $2
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d
            SET next_attempt_at = $3, attempts = d.attempts + 1, first_attempt_at = coalesce(d.first_attempt_at, $1)
            FROM due, events e, webhook_endpoints w
            WHERE d.endpoint_id = due.endpoint_id AND d.event_seq = due.event_seq AND e.seq = d.event_seq
              AND w.id = d.endpoint_id
            RETURNING d.endpoint_id, d.event_seq, d.attempts, d.first_attempt_at, e.id, e.profile_id, e.sequence,
                      e.type, e.time, e.data::TEXT AS data, w.url, w.secret, w.previous_secret, w.previous_secret_until,
                      -- the attempt's number in its retry window (a manual retry or a replay opens a new one)
                      (SELECT count(*) FROM webhook_attempts a WHERE a.endpoint_id = d.endpoint_id
                          AND a.event_seq = d.event_seq AND a.attempted_at >= d.first_attempt_at)::INT + 1 AS window_attempt
            """;

    /**
     * The event and endpoint an attempt is recorded for, held (KEY SHARE) until the record commits: an
     * erasure that deleted the event, or an endpoint deleted, while the receiver was asked leaves no row,
     * and nothing is recorded.
     */
    private static final String STILL_THERE = """
            still AS (
                SELECT 1 FROM events e, webhook_endpoints w WHERE e.seq = $2 AND w.id = $1 FOR KEY SHARE
            )""";

    /** Delivered: $1 endpoint, $2 event seq, $3 attempt, $4 its start, $5 duration, $6 status code, $7 now. */
    static final String DELIVERED = """
            WITH %s,
            marked AS (
                UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $7
                WHERE endpoint_id = $1 AND event_seq = $2 AND status = 'pending'
            )
            INSERT INTO webhook_attempts (endpoint_id, event_seq, attempt, attempted_at, duration_ms, status_code, succeeded)
            SELECT $1, $2, $3, $4, $5, $6, true FROM still
            """.formatted(STILL_THERE);

    /**
     * Not delivered: $7 status (pending, or failed once the retry window is over), $8 the next
     * attempt. $1 endpoint, $2 event seq, $3 attempt, $4 its start, $5 duration, $6 status code or null,
     * $9 error or null. Answers the delivery's status, if it was still waiting.
     */
    static final String NOT_DELIVERED = """
            WITH %s,
            marked AS (
                -- still first: its locks come before the delivery's, in an erasure's order
                UPDATE webhook_deliveries SET status = $7, next_attempt_at = $8
                WHERE endpoint_id = $1 AND event_seq = $2 AND status = 'pending' AND EXISTS (SELECT 1 FROM still)
                RETURNING status
            ),
            logged AS (
                INSERT INTO webhook_attempts (endpoint_id, event_seq, attempt, attempted_at, duration_ms, status_code,
                                              error, succeeded)
                SELECT $1, $2, $3, $4, $5, $6, $9, false FROM still
            )
            SELECT status FROM marked
            """.formatted(STILL_THERE);

    /** Every endpoint, with the time of its oldest undelivered event (null when none waits). */
    static final String OLDEST_PENDING = """
            SELECT w.id AS endpoint_id, p.oldest
            FROM webhook_endpoints w LEFT JOIN (
                SELECT d.endpoint_id, min(e.time) AS oldest
                FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE d.status = 'pending'
                GROUP BY d.endpoint_id
            ) p ON p.endpoint_id = w.id
            """;
}
