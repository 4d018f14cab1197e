package com.acme.subscription.kafka;

/**
 * The publisher's statements. Profiles are claimed with session-level advisory locks on the
 * publisher's own connection, not with row locks in an open transaction: the claim lasts while the
 * events are sent and acknowledged (seconds when the broker is slow) without a transaction or a
 * pooled connection held meanwhile, and it ends by itself if the replica or its connection dies.
 */
final class PublisherSql {

    private PublisherSql() {
    }

    /** The first key of the two-key advisory locks: this publisher's own key space ("kafk"). */
    static final int LOCK_SPACE = 0x6b61666b;

    /**
     * Claims the profiles of the oldest unpublished events ($1 events at most) that no other replica
     * has claimed, oldest first. Both CTEs are materialised, so that the lock function is called
     * once for each candidate profile and for no other row.
     */
    static final String CLAIM = """
            WITH head AS MATERIALIZED (
                SELECT seq, profile_id FROM events WHERE published_at IS NULL ORDER BY seq LIMIT $1
            ),
            candidates AS MATERIALIZED (
                SELECT profile_id, min(seq) AS first FROM head GROUP BY profile_id
            )
            SELECT profile_id FROM candidates
            WHERE pg_try_advisory_lock(%d, hashtext(profile_id))
            ORDER BY first
            """.formatted(LOCK_SPACE);

    /**
     * The claimed profiles' unpublished events ($1 profiles, $2 events at most), in the order they
     * were written. A statement of its own, after the claim: it sees everything that the replica
     * which held a claim before marked published before it let go.
     */
    static final String READ = """
            SELECT seq, id, profile_id, sequence, type, time, data FROM events
            WHERE published_at IS NULL AND profile_id = ANY ($1) ORDER BY seq LIMIT $2
            """;

    /**
     * Marks $1 (seqs) published at $2, once the broker has acknowledged them. An event a writer holds
     * (an erasure deleting it, or clearing an inviter's id in it) is passed over, not waited for: the
     * writer may be waiting for an event this statement would hold, and the event is sent again by a
     * later round, as at-least-once allows.
     */
    static final String MARK = """
            UPDATE events SET published_at = $2 WHERE seq IN (
                SELECT seq FROM events WHERE seq = ANY ($1) AND published_at IS NULL FOR NO KEY UPDATE SKIP LOCKED)
            """;

    /** Ends the claims of the round (the connection holds no other advisory lock). */
    static final String RELEASE = "SELECT pg_advisory_unlock_all()";

    static final String CHANNEL = "events_written";
}
