package com.acme.subscription.grant;

/**
 * The Wellpass rule (docs/grants.md) as SQL, shared by reads (which never wait for a
 * job) and by the writes and jobs that make it true in the table.
 * <p>
 * A grant paused by a Wellpass grant resumes when that grant ends at r, unless another
 * Wellpass grant of the profile is active at r, in which case it waits for that one, and so
 * on: it resumes at the end of the chain of Wellpass grants covering its pauser's end, with
 * validFrom = that time and its exact remaining time. Coverage is read from validFrom and
 * validUntil alone (a revocation sets validUntil), so the outcome does not depend on which
 * job ran when.
 * <p>
 * {@code %1$s} is the filter of the paused grants ({@code g}); {@code $2} is now.
 */
public final class GrantSql {

    /** CTEs {@code chain} and {@code resumption(id, resume_at)}: when each paused grant whose pauser has ended resumes. */
    public static final String RESUMPTION = """
            chain(id, profile_id, r) AS (
                SELECT g.id, g.profile_id, w.valid_until FROM access_grants g JOIN access_grants w ON w.id = g.paused_by
                WHERE %1$s AND g.paused_by IS NOT NULL AND w.valid_until <= $2::TIMESTAMPTZ
                UNION
                SELECT c.id, c.profile_id, w.valid_until FROM chain c JOIN access_grants w
                    ON w.profile_id = c.profile_id AND w.wellpass AND w.valid_from <= c.r AND c.r < w.valid_until
            ),
            resumption AS (
                SELECT id, max(r) AS resume_at FROM chain GROUP BY id
            )""";

    /** Exact remaining time of a paused grant (seconds), also for rows that only know whole days. */
    public static final String REMAINING = "coalesce(g.remaining_seconds, g.remaining_days::BIGINT * 86400)";

    private GrantSql() {
    }

    public static String resumption(String pausedFilter) {
        return RESUMPTION.formatted(pausedFilter);
    }
}
