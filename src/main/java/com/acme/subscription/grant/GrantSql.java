package com.acme.subscription.grant;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.event.EventSql;
import com.acme.subscription.event.EventType;
import com.acme.subscription.settings.SettingKey;

/**
 * The grant statements and the Wellpass rule (docs/grants.md) as SQL, shared by reads (which
 * never wait for a job) and by the writes and jobs that make it true in the table.
 * <p>
 * A grant paused by a Wellpass grant resumes when that grant ends at r, unless another
 * Wellpass grant of the profile is in force at r, in which case it waits for that one, and so
 * on: it resumes at the end of the chain of Wellpass grants covering its pauser's end, with
 * validFrom = that time and its exact remaining time. Every end is read from the row alone
 * ({@link #WELLPASS_END}), never from the moment someone notices it, so the outcome does not
 * depend on which job ran when.
 * <p>
 * The statements of a settle take {@code $1} the profile ids (an array), {@code $2} now,
 * {@code $3}/{@code $4} the origin (IP address, user agent) of their activity entries.
 */
public final class GrantSql {

    /** How the API and the events name "no tier". */
    public static final String DISABLED = "disabled";

    /** Every column of access_grants: what {@link GrantRepository#read} maps into an {@link AccessGrant}. */
    static final String COLUMNS = "id, profile_id, tier_id, granted_by, coupon_id, valid_from, valid_until, is_active, "
            + "paused_by, paused_at, remaining_days, remaining_seconds, wellpass, subscription_id, revoked_at, created, updated";

    /**
     * When the Wellpass grant {@code %1$s} ends: its validUntil while it is active (also once that
     * has passed and no job wrote it yet). An inactive one ended at its validUntil if it ran out,
     * else when it was ended: its revocation, or, switched off some other way, its last update.
     * An expired grant keeps r = validUntil however late the expiry was written.
     */
    private static final String WELLPASS_END = "(CASE WHEN %1$s.is_active THEN %1$s.valid_until "
            + "ELSE least(%1$s.valid_until, coalesce(%1$s.revoked_at, %1$s.updated)) END)";

    /**
     * CTEs {@code chain} and {@code resumption(id, resume_at)}: when each paused grant (filter
     * {@code %1$s} on g) whose pauser has ended resumes; never before it was paused.
     */
    private static final String RESUMPTION = """
            chain(id, profile_id, r) AS (
                SELECT g.id, g.profile_id, greatest(%2$s, g.paused_at) FROM access_grants g JOIN access_grants w ON w.id = g.paused_by
                WHERE %1$s AND g.paused_by IS NOT NULL AND %2$s <= $2::TIMESTAMPTZ
                UNION
                SELECT c.id, c.profile_id, %2$s FROM chain c JOIN access_grants w
                    ON w.profile_id = c.profile_id AND w.wellpass AND w.valid_from <= c.r AND c.r < %2$s
            ),
            resumption AS (
                SELECT id, max(r) AS resume_at FROM chain GROUP BY id
            )""";

    /**
     * The effective tier of profile {@code %1$s} (an SQL expression) whose base tier {@code %2$s}
     * brings in as {@code t}, at {@code %3$s}: the most generous of the base tier and the grants active then, counting grants
     * whose Wellpass pause has ended as resumed (the statement has the CTE {@code resumption} for the
     * profile). One row ({@code tier_id, tier_name, sort_order, source, grant_id, granted_by,
     * valid_until, rank}), none when the profile has no tier at all.
     */
    private static final String EFFECTIVE_TIER = """
            SELECT c.* FROM (
                SELECT t.id AS tier_id, t.name AS tier_name, t.sort_order, 'base' AS source,
                       NULL::TEXT AS grant_id, NULL::TEXT AS granted_by, NULL::TIMESTAMPTZ AS valid_until, 0 AS rank
                FROM %2$s
                UNION ALL
                SELECT t.id, t.name, t.sort_order, 'grant', g.id, g.granted_by, g.valid_until, 1
                FROM access_grants g JOIN tiers t ON t.id = g.tier_id
                WHERE g.profile_id = %1$s AND g.is_active AND g.valid_from <= %3$s AND %3$s < g.valid_until
                UNION ALL
                -- paused by a Wellpass grant that has ended: resumed, even before a job wrote it
                SELECT t.id, t.name, t.sort_order, 'grant', g.id, g.granted_by,
                       %4$s, 1
                FROM resumption r JOIN access_grants g ON g.id = r.id JOIN tiers t ON t.id = g.tier_id
                WHERE g.profile_id = %1$s AND r.resume_at <= %3$s AND %3$s < %4$s
            ) c
            -- a grant only counts when it ranks above the base tier; between grants the later end wins
            ORDER BY c.sort_order DESC, c.rank, c.valid_until DESC
            LIMIT 1""";

    /**
     * When paused grant {@code g} ends once it resumes at {@code r.resume_at}: after its exact remaining
     * time (seconds; whole days on rows that only know those), at the latest at the last instant the API
     * writes (the years 0000 to 9999), which a grant ending near it and paused meanwhile would pass.
     * Null without a resumption (least() would answer the cap for it: it skips nulls).
     */
    private static final String RESUMED_UNTIL = "(CASE WHEN r.resume_at IS NOT NULL THEN least(r.resume_at + make_interval(secs => "
            + "coalesce(g.remaining_seconds, g.remaining_days::BIGINT * 86400)), '" + Timestamps.LAST_KEPT + "') END)";

    /**
     * CTEs {@code expired}, {@code expired_events} and {@code expired_log}: the grants in force past
     * their validUntil that the filter {@code %1$s} (on g) admits become inactive, each with its
     * grant.expired event (for the statement's {@link EventSql#append}) and its activity entry.
     * {@code %2$s} is now, {@code %3$s}/{@code %4$s} the origin, {@code %5$s} the action.
     */
    private static final String EXPIRY = """
            expired AS (
                UPDATE access_grants g SET is_active = false, updated = %2$s
                WHERE %1$s AND g.is_active AND g.valid_until <= %2$s
                RETURNING g AS grant_row, g.id, g.profile_id, g.tier_id, g.granted_by, g.wellpass, g.valid_until
            ),
            expired_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%6$s', grant_json(grant_row), 1 FROM expired
            ),
            expired_log AS (
                INSERT INTO user_activity_log (profile_id, action, details, ip_address, user_agent, created)
                SELECT profile_id, '%5$s',
                       jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by,
                                          'wellpass', wellpass, 'validUntil', api_instant(valid_until)),
                       %3$s, %4$s, %2$s
                FROM expired
            )""";

    /** The profiles a settle works on: $1, an array of ids. */
    private static final String OF_PROFILES = "g.profile_id = ANY($1::TEXT[])";

    /**
     * Locks profile $1 for the rest of the transaction and answers a row if it exists. THE lock
     * that serialises changes to one profile (its grants, base tier, trial, redemptions, overrides): every
     * change takes it first. NO KEY UPDATE still lets others insert rows that reference the profile.
     */
    static final String LOCK_PROFILE = "SELECT id FROM profiles WHERE id = $1 FOR NO KEY UPDATE";

    /**
     * The time of the latest change to the grants of profile $1 (null without grants), read by a
     * statement of its own once the profile's lock is held, so that it sees what committed while the
     * lock was awaited (a statement's snapshot is taken before it waits).
     */
    static final String LAST_CHANGE = "SELECT max(updated) AS at FROM access_grants WHERE profile_id = $1";

    /** Settle: expires the due grants of profiles $1 at $2. */
    static final String EXPIRE = "WITH " + expiry(OF_PROFILES, "$2::TIMESTAMPTZ", "$3::TEXT", "$4::TEXT") + ",\n"
            + EventSql.append("expired_events", "$2::TIMESTAMPTZ") + "\nSELECT count(*) AS rows FROM expired";

    /**
     * Settle: resumes the paused grants of profiles $1 whose Wellpass pause has ended by $2, or
     * points them at the Wellpass grant that holds them now. A trial keeps trialEndsAt in step.
     */
    static final String RESUME = """
            WITH RECURSIVE %1$s,
            holder AS (
                SELECT DISTINCT ON (w.profile_id) w.profile_id, w.id FROM access_grants w
                WHERE w.wellpass AND w.is_active AND w.valid_from <= $2::TIMESTAMPTZ AND $2::TIMESTAMPTZ < w.valid_until
                  AND w.profile_id IN (SELECT g.profile_id FROM access_grants g JOIN resumption r ON r.id = g.id)
                ORDER BY w.profile_id, w.valid_until DESC
            ),
            resumed AS (
                UPDATE access_grants g SET is_active = true, valid_from = r.resume_at,
                    valid_until = %2$s, paused_by = NULL, paused_at = NULL,
                    remaining_days = NULL, remaining_seconds = NULL, updated = $2::TIMESTAMPTZ
                FROM resumption r
                WHERE g.id = r.id AND r.resume_at <= $2::TIMESTAMPTZ AND g.paused_by IS NOT NULL
                RETURNING g AS grant_row, g.id, g.profile_id, g.tier_id, g.granted_by, g.valid_from, g.valid_until
            ),
            resumed_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%5$s', grant_json(grant_row), 1 FROM resumed
            ),
            %6$s,
            moved AS (
                UPDATE access_grants g SET paused_by = h.id, updated = $2::TIMESTAMPTZ
                FROM resumption r, holder h
                WHERE g.id = r.id AND r.resume_at > $2::TIMESTAMPTZ AND h.profile_id = g.profile_id
                  AND g.paused_by IS NOT NULL AND g.paused_by <> h.id
                RETURNING g.id
            ),
            trial AS (
                UPDATE profiles p SET trial_ends_at = r.valid_until, updated = $2::TIMESTAMPTZ
                FROM resumed r WHERE p.id = r.profile_id AND r.granted_by = '%3$s'
            ),
            log AS (
                INSERT INTO user_activity_log (profile_id, action, details, ip_address, user_agent, created)
                SELECT profile_id, '%4$s',
                       jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by,
                                          'validFrom', api_instant(valid_from), 'validUntil', api_instant(valid_until)),
                       $3::TEXT, $4::TEXT, $2::TIMESTAMPTZ
                FROM resumed
            )
            SELECT (SELECT count(*) FROM resumed) AS rows, (SELECT count(*) FROM moved) AS moved
            """.formatted(resumption(OF_PROFILES), RESUMED_UNTIL, NewGrant.TRIAL, ActivityLog.GRANT_RESUMED,
            EventType.GRANT_RESUMED.type(), EventSql.append("resumed_events", "$2::TIMESTAMPTZ"));

    /**
     * Inserts grant $1 of profile $2 at $8 under the Wellpass rule: created paused (with all of its
     * time) while a Wellpass grant is in force, unless it is one itself ($6) or a Stripe
     * subscription pays for it ($10); with its grant.created event, whoever creates it (an admin, a
     * subscription, a trial, a coupon).
     */
    static final String CREATE = """
            WITH holder AS (
                SELECT w.id FROM access_grants w
                WHERE w.profile_id = $2 AND w.wellpass AND w.is_active
                  AND w.valid_from <= $8::TIMESTAMPTZ AND $8::TIMESTAMPTZ < w.valid_until
                  AND NOT $6::BOOLEAN AND $10::TEXT IS NULL
                ORDER BY w.valid_until DESC LIMIT 1
            ),
            created AS (
                INSERT INTO access_grants AS g (id, profile_id, tier_id, granted_by, coupon_id, wellpass, valid_from,
                    valid_until, is_active, paused_by, paused_at, remaining_seconds, remaining_days, subscription_id,
                    created, updated)
                SELECT $1, $2, $3, $4, $5, $6, $7, $9, h.id IS NULL, h.id,
                       CASE WHEN h.id IS NOT NULL THEN $8::TIMESTAMPTZ END,
                       CASE WHEN h.id IS NOT NULL THEN floor(extract(EPOCH FROM $9::TIMESTAMPTZ - $7::TIMESTAMPTZ))::BIGINT END,
                       CASE WHEN h.id IS NOT NULL THEN ceil(floor(extract(EPOCH FROM $9::TIMESTAMPTZ - $7::TIMESTAMPTZ)) / 86400)::INTEGER END,
                       $10, $8, $8
                FROM (SELECT 1) one LEFT JOIN holder h ON true
                RETURNING g AS grant_row, g.*
            ),
            created_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%2$s', grant_json(grant_row), 1 FROM created
            ),
            %3$s
            SELECT %1$s FROM created
            """.formatted(COLUMNS, EventType.GRANT_CREATED.type(), EventSql.append("created_events", "$8::TIMESTAMPTZ"));

    /**
     * The new Wellpass grant $2 pauses every other grant in force of profile $1 at $3 that is not
     * itself a Wellpass grant, keeping its exact remaining time; origin $4, $5. A grant that a
     * Stripe subscription pays for is never paused: the customer keeps paying for it.
     */
    static final String PAUSE_OTHERS = """
            WITH paused AS (
                UPDATE access_grants g SET is_active = false, paused_by = $2, paused_at = $3::TIMESTAMPTZ,
                    remaining_seconds = floor(extract(EPOCH FROM g.valid_until - greatest($3::TIMESTAMPTZ, g.valid_from)))::BIGINT,
                    remaining_days = ceil(floor(extract(EPOCH FROM g.valid_until - greatest($3::TIMESTAMPTZ, g.valid_from))) / 86400)::INTEGER,
                    updated = $3::TIMESTAMPTZ
                WHERE g.profile_id = $1 AND g.id <> $2 AND NOT g.wellpass AND g.is_active
                  AND g.subscription_id IS NULL AND g.valid_until > $3::TIMESTAMPTZ
                RETURNING g AS grant_row, g.id, g.profile_id, g.tier_id, g.granted_by, g.remaining_seconds,
                          g.remaining_days
            ),
            paused_log AS (
                INSERT INTO user_activity_log (profile_id, action, details, ip_address, user_agent, created)
                SELECT $1, '%1$s',
                       jsonb_build_object('grantId', id, 'tierId', tier_id, 'grantedBy', granted_by, 'pausedBy', $2,
                                          'remainingSeconds', remaining_seconds, 'remainingDays', remaining_days),
                       $4::TEXT, $5::TEXT, $3::TIMESTAMPTZ
                FROM paused
            ),
            paused_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%2$s', grant_json(grant_row), 1 FROM paused
            ),
            %3$s
            SELECT count(*) AS rows FROM paused
            """.formatted(ActivityLog.GRANT_PAUSED, EventType.GRANT_PAUSED.type(),
            EventSql.append("paused_events", "$3::TIMESTAMPTZ"));

    /**
     * The instant after {@code $2} at which time alone could change the effective tier of profile
     * {@code p} (the statement has the CTE {@code resumption} for it): the next start or end of a
     * grant in force, end of a Wellpass pause, resumption or end of a resumed grant; infinity if
     * none. Every instant {@link #EFFECTIVE_TIER} compares now with is one of these.
     */
    private static final String STATE_UNTIL = """
            SELECT coalesce(min(v.at), 'infinity') AS until FROM access_grants g
            LEFT JOIN access_grants w ON w.id = g.paused_by
            LEFT JOIN resumption r ON r.id = g.id
            CROSS JOIN LATERAL (VALUES (CASE WHEN g.is_active THEN g.valid_from END),
                                       (CASE WHEN g.is_active THEN g.valid_until END),
                                       (%1$s), (r.resume_at), (%2$s)) v (at)
            WHERE g.profile_id = p.id AND v.at > $2::TIMESTAMPTZ""";

    /**
     * CTE {@code current}: the effective tier of each profile $1 at $2 with what the profile row
     * says (its last announcement, its state and the state's version). Follows the CTEs of
     * {@link #resumption} for those profiles.
     */
    private static final String CURRENT = """
            current AS (
                SELECT p.id AS profile_id, p.announced_tier AS before, coalesce(e.tier_id, '%1$s') AS after,
                       p.state_version AS seen_version, e.tier_id, e.source, e.grant_id, e.granted_by, e.valid_until,
                       s.until,
                       (p.state_stale OR (p.state_tier, p.state_source, p.state_grant_id, p.state_granted_by,
                                          p.state_valid_until, p.state_until)
                           IS DISTINCT FROM (e.tier_id, e.source, e.grant_id, e.granted_by, e.valid_until, s.until))
                           AS state_changed
                FROM profiles p
                LEFT JOIN LATERAL (%3$s) e ON true
                CROSS JOIN LATERAL (%2$s) s
                WHERE p.id = ANY ($1::TEXT[])
            )""".formatted(DISABLED, STATE_UNTIL.formatted(wellpassEnd("w"), RESUMED_UNTIL),
            effectiveTier("p.id", "tiers t WHERE t.id = p.tier", "$2::TIMESTAMPTZ"));

    /**
     * The assignments that write {@code current} (alias c) as the profile's state from $2. The
     * UPDATE using them must also require {@link #SEEN_VERSION}.
     */
    private static final String WRITE_STATE = """
            state_stale = false, state_version = p.state_version + 1, state_tier = c.tier_id,
                state_source = c.source, state_grant_id = c.grant_id, state_granted_by = c.granted_by,
                state_valid_until = c.valid_until, state_from = $2::TIMESTAMPTZ, state_until = c.until""";

    /**
     * The row still has the version the state was computed from. Re-checked on the newest row when
     * the UPDATE had to wait for another transaction: a change committed meanwhile (which wrote its
     * own state, or marked it stale) wins over a state computed without it.
     */
    private static final String SEEN_VERSION = "p.state_version = c.seen_version";

    /**
     * Announces the effective tiers of profiles $1 at $2 that differ from what their events last
     * said: profile.tier_changed {from, to, source $3}, and writes their state (V13__profile_state.sql).
     * Every change that may move an effective tier runs it afterwards in its transaction, so each
     * change is announced once, whichever write or job gets there first. "disabled" stands for no
     * tier, as the API shows a profile.
     */
    static final String ANNOUNCE_TIERS = """
            WITH RECURSIVE %1$s,
            %2$s,
            changed AS (
                UPDATE profiles p SET announced_tier = c.after, %3$s
                FROM current c
                WHERE p.id = c.profile_id AND %4$s AND (p.announced_tier IS DISTINCT FROM c.after OR c.state_changed)
                RETURNING c.profile_id, c.before, c.after
            ),
            tier_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%5$s', jsonb_build_object('from', before, 'to', after, 'source', $3::TEXT), 1
                FROM changed WHERE before IS NOT NULL AND before IS DISTINCT FROM after
            ),
            %6$s
            SELECT count(*) AS rows FROM tier_events
            """.formatted(resumption("g.profile_id = ANY ($1::TEXT[])"), CURRENT, WRITE_STATE, SEEN_VERSION,
            EventType.PROFILE_TIER_CHANGED.type(), EventSql.append("tier_events", "$2::TIMESTAMPTZ"));

    /**
     * Writes the state of profiles $1 at $2 where it is stale or differs, without announcing
     * anything (the expire-grants job, for states marked stale by a change that did not write one).
     */
    public static final String REFRESH_STATES = """
            WITH RECURSIVE %1$s,
            %2$s,
            written AS (
                UPDATE profiles p SET %3$s
                FROM current c
                WHERE p.id = c.profile_id AND %4$s AND c.state_changed
                RETURNING p.id
            )
            SELECT count(*) AS rows FROM written
            """.formatted(resumption("g.profile_id = ANY ($1::TEXT[])"), CURRENT, WRITE_STATE, SEEN_VERSION);

    /**
     * grant.expiring for the grants in force of profiles $1 (empty: of every profile) that end
     * within grant_expiring_notice_days of $2 (0: never), once per end; up to $3 of them, skipping
     * grants and profiles others hold (a request holding its profile may have numbered the profile's
     * events already, which the event appended here would wait for). Run by expire-grants and by every
     * settle, whichever comes first. Answers taken and rows, like a job's batch.
     */
    public static final String ANNOUNCE_EXPIRING = """
            WITH s AS (
                SELECT %1$s::INTEGER AS days FROM %2$s
            ),
            due AS (
                SELECT g.ctid FROM access_grants g, s
                WHERE (cardinality($1::TEXT[]) = 0 OR g.profile_id = ANY ($1::TEXT[]))
                  AND s.days > 0 AND g.is_active AND g.valid_until > $2::TIMESTAMPTZ
                  AND g.valid_until <= $2::TIMESTAMPTZ + make_interval(days => s.days)
                  AND g.expiring_announced_for IS DISTINCT FROM g.valid_until
                  -- the profile first (a grant taken before its profile was skipped would stay locked by this
                  -- batch), per grant in the index's order: a join could be planned as a sort of every grant
                  AND EXISTS (SELECT 1 FROM profiles p WHERE p.id = g.profile_id FOR NO KEY UPDATE SKIP LOCKED)
                ORDER BY g.valid_until LIMIT $3
                FOR UPDATE OF g SKIP LOCKED
            ),
            announced AS (
                UPDATE access_grants g SET expiring_announced_for = g.valid_until
                WHERE g.ctid = ANY (ARRAY(SELECT ctid FROM due))
                RETURNING g AS grant_row, g.profile_id
            ),
            expiring_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%3$s', grant_json(grant_row), 1 FROM announced
            ),
            %4$s
            SELECT (SELECT count(*) FROM due) AS taken, (SELECT count(*) FROM announced) AS rows
            """.formatted(SettingKey.GRANT_EXPIRING_NOTICE_DAYS.sql(), SettingKey.rows(SettingKey.GRANT_EXPIRING_NOTICE_DAYS),
            EventType.GRANT_EXPIRING.type(), EventSql.append("expiring_events", "$2::TIMESTAMPTZ"));

    /**
     * CTEs of {@link #resumption} for the trial of profile $1 at $2, for {@link #TRIAL_RESUMED_UNTIL}.
     */
    public static final String TRIAL_RESUMPTION = resumption("g.profile_id = $1 AND g.granted_by = '" + NewGrant.TRIAL + "'");

    /**
     * When the trial of profile $1 ends if a Wellpass grant paused it and has ended by $2: its
     * resumption plus its remaining time, what {@link #RESUME} writes into trial_ends_at; null when
     * it has not resumed by $2. For a read that follows the check's rule without waiting for a job
     * (the statement has {@link #TRIAL_RESUMPTION}).
     */
    public static final String TRIAL_RESUMED_UNTIL = """
            (SELECT %s FROM resumption r JOIN access_grants g ON g.id = r.id
             WHERE r.resume_at <= $2::TIMESTAMPTZ ORDER BY r.resume_at LIMIT 1)""".formatted(RESUMED_UNTIL);

    /**
     * The grants of every profile at $2 ($1: an empty array), as a read sees them without waiting
     * for a job: rows {@code (granted_by, n)} of the grants in force by who gave them, counting a
     * grant whose Wellpass pause has ended as resumed, and one row {@code (NULL, n)}: the grants
     * still paused.
     */
    static final String COUNTS_AT = """
            WITH RECURSIVE %1$s,
            in_force (granted_by) AS (
                SELECT g.granted_by FROM access_grants g
                WHERE g.is_active AND g.valid_from <= $2::TIMESTAMPTZ AND $2::TIMESTAMPTZ < g.valid_until
                UNION ALL
                SELECT g.granted_by FROM resumption r JOIN access_grants g ON g.id = r.id
                WHERE r.resume_at <= $2::TIMESTAMPTZ AND $2::TIMESTAMPTZ < %2$s
            )
            SELECT granted_by, count(*) AS n FROM in_force GROUP BY granted_by
            UNION ALL
            SELECT NULL, (SELECT count(*) FROM access_grants WHERE paused_by IS NOT NULL)
                         - (SELECT count(*) FROM resumption WHERE resume_at <= $2::TIMESTAMPTZ)
            """.formatted(resumption("cardinality($1::TEXT[]) = 0"), RESUMED_UNTIL);

    /** Grant $1 of profile $2. */
    static final String FIND = "SELECT %s FROM access_grants WHERE id = $1 AND profile_id = $2".formatted(COLUMNS);

    /** The grant in force that subscription $1 pays for, if any (at most one: a unique index). */
    static final String OF_SUBSCRIPTION = """
            SELECT %s FROM access_grants WHERE subscription_id = $1 AND revoked_at IS NULL AND is_active
            """.formatted(COLUMNS);

    /** Moves the end of grant $1 to $2 at $3 (a subscription renewed, or set to end with its period). */
    static final String MOVE_END = """
            UPDATE access_grants SET valid_until = $2::TIMESTAMPTZ, updated = $3::TIMESTAMPTZ
            WHERE id = $1 AND is_active AND revoked_at IS NULL
            RETURNING %s
            """.formatted(COLUMNS);

    /**
     * Revokes grant $1 at $2: inactive, pause fields cleared, revokedAt set, and validUntil now
     * unless it ran out earlier. A paused grant has not run out, whatever its validUntil says: its
     * time stood still, so it ends now too. trialEndsAt follows a revoked trial grant to its end.
     */
    static final String REVOKE = """
            WITH revoked AS (
                UPDATE access_grants g SET is_active = false,
                    valid_until = CASE WHEN paused_by IS NOT NULL THEN $2::TIMESTAMPTZ ELSE least(valid_until, $2::TIMESTAMPTZ) END,
                    paused_by = NULL, paused_at = NULL, remaining_days = NULL, remaining_seconds = NULL,
                    revoked_at = $2::TIMESTAMPTZ, updated = $2::TIMESTAMPTZ
                WHERE id = $1
                RETURNING g AS grant_row, g.*
            ),
            revoked_events (profile_id, type, data, ord) AS (
                SELECT profile_id, '%2$s', grant_json(grant_row), 1 FROM revoked
            ),
            trial AS (
                UPDATE profiles p SET trial_ends_at = r.valid_until, updated = $2::TIMESTAMPTZ
                FROM revoked r WHERE p.id = r.profile_id AND r.granted_by = '%4$s'
                  AND p.trial_ends_at IS DISTINCT FROM r.valid_until
            ),
            %3$s
            SELECT %1$s FROM revoked
            """.formatted(COLUMNS, EventType.GRANT_REVOKED.type(), EventSql.append("revoked_events", "$2::TIMESTAMPTZ"),
            NewGrant.TRIAL);

    private GrantSql() {
    }

    /**
     * {@link #EFFECTIVE_TIER} of profile {@code profile} (an SQL expression) at {@code now}: a
     * SELECT. {@code baseTier} is the FROM clause that brings in the base tier as {@code t}.
     */
    public static String effectiveTier(String profile, String baseTier, String now) {
        return EFFECTIVE_TIER.formatted(profile, baseTier, now, RESUMED_UNTIL);
    }

    /** {@link #WELLPASS_END} of the Wellpass grant with the alias {@code alias}: an SQL expression. */
    public static String wellpassEnd(String alias) {
        return WELLPASS_END.formatted(alias);
    }

    /**
     * The CTEs {@code chain} and {@code resumption(id, resume_at)} for the paused grants that
     * {@code pausedFilter} (on g) admits; {@code $2} is now.
     */
    public static String resumption(String pausedFilter) {
        return RESUMPTION.formatted(pausedFilter, wellpassEnd("w"));
    }

    /**
     * The CTEs {@code expired} (id, profile_id, tier_id, granted_by, wellpass, valid_until) and
     * {@code expired_log}: the expiry of the due grants that {@code filter} (on g) admits, with
     * their grant_expired entries. The other arguments name the statement's parameters.
     */
    public static String expiry(String filter, String now, String ipAddress, String userAgent) {
        return EXPIRY.formatted(filter, now, ipAddress, userAgent, ActivityLog.GRANT_EXPIRED,
                EventType.GRANT_EXPIRED.type());
    }
}
