package com.acme.subscription.entitlement;

import com.acme.subscription.grant.GrantSql;
import com.acme.subscription.settings.SettingKey;

/**
 * The entitlement rules (docs/entitlements.md) as SQL, shared by every statement that reads
 * or changes what a profile may do, so that a check and a consume can never disagree.
 * <p>
 * Parameters: {@code $1} profile id, {@code $2} now (the service's clock, never the
 * database's). The statements using it add {@code $3} feature id and {@code $4} amount.
 * Everything is read in one round trip: settings, profile, effective tier, feature,
 * override, tier limit and counter.
 */
public final class EntitlementSql {

    /**
     * Settings, the profile, and its effective tier: the most generous of the base tier and the
     * grants active now, counting grants whose Wellpass pause has ended as resumed (a recursive
     * CTE: statements using this start with {@code WITH RECURSIVE}).
     */
    public static final String CONTEXT = """
            %1$s,
            profile AS (
                SELECT id, tier AS base_tier, email_verified FROM profiles WHERE id = $1
            ),
            %2$s,
            effective AS (
                %3$s
            )""".formatted(settings(), GrantSql.resumption("g.profile_id = $1"), GrantSql.effectiveTier("$1",
            "profile JOIN tiers t ON t.id = profile.base_tier", "$2"));

    /** The join that brings in the profile and its stored effective state, {@code fresh} when it holds at $2. */
    private static final String STORED_PROFILE = """
            LEFT JOIN (
                SELECT id, tier AS base_tier, email_verified, state_tier, state_source, state_grant_id, state_granted_by,
                       state_valid_until, override_count,
                       coalesce(NOT state_stale AND state_from <= $2::TIMESTAMPTZ AND $2::TIMESTAMPTZ < state_until, false)
                           AS fresh
                FROM profiles WHERE id = $1
            ) profile ON true""";

    /**
     * Joins that bring in the profile and its stored effective state (V13__profile_state.sql),
     * which is {@code fresh} when it holds at $2: then the state is the effective tier, read by key.
     * Subqueries rather than CTEs, so that the planner joins them flat (this is the hot path).
     */
    private static final String STORED_JOINS = STORED_PROFILE + """

            LEFT JOIN LATERAL (
                SELECT t.id AS tier_id, t.name AS tier_name, profile.state_source AS source,
                       profile.state_grant_id AS grant_id, profile.state_granted_by AS granted_by,
                       profile.state_valid_until AS valid_until
                FROM tiers t WHERE t.id = profile.state_tier
            ) e ON true""";

    /** Joins that bring in the profile and its effective tier computed by {@link #CONTEXT}. */
    private static final String COMPUTED_JOINS = """
            LEFT JOIN profile ON true
            LEFT JOIN effective e ON true""";

    /** Whether a row of a statement on {@link #STORED_JOINS} may be used: no profile, or its state holds. */
    private static final String STORED_FRESH = "(profile.id IS NULL OR profile.fresh) AS fresh";

    private static String settings() {
        return """
                settings AS (
                    SELECT %1$s = 'true' AS require_verification, %2$s AS reset_zone
                    FROM %3$s
                )""".formatted(SettingKey.REQUIRE_EMAIL_VERIFICATION.sql(), SettingKey.USAGE_RESET_ZONE.sql(),
                SettingKey.rows(SettingKey.REQUIRE_EMAIL_VERIFICATION, SettingKey.USAGE_RESET_ZONE));
    }

    /** Joins that bring in one feature ({@code f}) per row; the statement supplies the {@code f} join itself. */
    public static final String FEATURE_JOINS = """
            LEFT JOIN user_feature_restrictions o ON o.profile_id = $1 AND o.feature_id = f.id
            LEFT JOIN tier_limits tl ON tl.tier_id = e.tier_id AND tl.feature_id = f.id
            LEFT JOIN user_feature_usage u ON u.profile_id = $1 AND u.feature_id = f.id""";

    /** Start of the next period in the zone of usage_reset_zone (a day may last 23 or 25 hours). */
    public static final String NEXT_RESET = nextReset("$2::TIMESTAMPTZ");

    /** {@link #NEXT_RESET} after the instant {@code now} (an SQL expression), for feature {@code f} and settings {@code s}. */
    public static String nextReset(String now) {
        return """
                CASE f.reset_period
                    WHEN 'daily' THEN (date_trunc('day', %1$s AT TIME ZONE s.reset_zone) + INTERVAL '1 day') AT TIME ZONE s.reset_zone
                    WHEN 'monthly' THEN (date_trunc('month', %1$s AT TIME ZONE s.reset_zone) + INTERVAL '1 month') AT TIME ZONE s.reset_zone
                END""".formatted(now);
    }

    /** The row of a periodic counter belongs to a period that has ended: it reads as 0. */
    private static final String ROLLED = "(f.reset_period <> 'never' AND (u.reset_at IS NULL OR u.reset_at <= $2))";

    /** The profile's columns of a row: activation and effective tier (what {@link ProfileAccess} reads). */
    private static final String ACCESS_COLUMNS = """
            profile.id IS NOT NULL AS profile_exists, profile.base_tier, coalesce(profile.email_verified, false) AS email_verified,
            (NOT s.require_verification OR coalesce(profile.email_verified, false)) AS activated,
            e.tier_id, e.tier_name, e.source, e.grant_id, e.granted_by, e.valid_until""";

    /**
     * Where feature f's limit comes from when the profile has no override: its tier's limit (tl), else
     * its default. catalog_limits (V16__catalog_limits.sql) holds the same rule resolved for every tier.
     */
    private static final String TIER_LIMIT_SOURCE = "CASE WHEN tl.tier_id IS NOT NULL THEN 'tier' ELSE 'default' END";

    /** That limit: null is unlimited. */
    private static final String TIER_LIMIT = "CASE WHEN tl.tier_id IS NOT NULL THEN tl.limit_value ELSE f.default_limit END";

    /** One row's columns: everything {@link EntitlementRules} needs, the limit already resolved. */
    private static final String STATE_COLUMNS = stateColumns(TIER_LIMIT_SOURCE, TIER_LIMIT);

    /**
     * The columns from a tier limit already resolved ({@code source}, {@code limit}): a retired
     * feature has no limit, and an override (o) comes before the tier's or the default limit.
     */
    private static String stateColumns(String source, String limit) {
        return ACCESS_COLUMNS + """
                ,
                f.id AS feature_id, f.limit_type, f.reset_period, f.active AS feature_active, f.category,
                CASE WHEN NOT f.active THEN 'inactive' WHEN o.profile_id IS NOT NULL THEN 'override' ELSE %3$s END
                    AS limit_source,
                CASE WHEN NOT f.active THEN NULL WHEN o.profile_id IS NOT NULL THEN o.limit_value ELSE %4$s END
                    AS effective_limit,
                CASE WHEN u.profile_id IS NULL OR %1$s THEN 0 ELSE u.usage_count END AS used,
                CASE WHEN f.reset_period = 'never' THEN NULL WHEN u.reset_at > $2 THEN u.reset_at ELSE %2$s END AS reset_at,
                %2$s AS next_reset""".formatted(ROLLED, NEXT_RESET, source, limit);
    }

    /**
     * All of the above for one feature ($3): exactly one row, with nulls for what does not exist.
     * The effective tier is computed from the grants; {@code fresh} is always true.
     */
    public static final String ONE_FEATURE = oneFeature("WITH RECURSIVE " + CONTEXT, COMPUTED_JOINS, "true AS fresh");

    /**
     * {@link #ONE_FEATURE} from the profile's stored state: the same row when {@code fresh}; when
     * not, the statement using it must not act on it, and the caller asks {@link #ONE_FEATURE}.
     */
    public static final String ONE_FEATURE_STORED = oneFeature("WITH " + settings(), STORED_JOINS, STORED_FRESH);

    /** The check: one row for profile $1, feature $3 at $2. */
    public static final String CHECK_ONE = ONE_FEATURE + " SELECT * FROM state";

    /** {@link #CHECK_ONE} from the stored state: to be used only when {@code fresh}. */
    public static final String CHECK_ONE_STORED = ONE_FEATURE_STORED + " SELECT * FROM state";

    /**
     * The check from rows read by key: the profile with its stored state, the feature's limit for
     * the profile's tier as resolved in catalog_limits (V16, kept in step with the catalog by
     * triggers), the override and the counter. {@code fresh} when the stored state holds at $2 and
     * the feature exists for that tier; otherwise the caller asks {@link #CHECK_ONE_STORED}, which
     * answers for unknown profiles and features and for profiles on {@code disabled}.
     */
    public static final String CHECK_ONE_RESOLVED = resolved("r.feature_id = $3",
            "user_feature_restrictions o ON o.profile_id = $1 AND o.feature_id = $3",
            "user_feature_usage u ON u.profile_id = $1 AND u.feature_id = $3");

    /**
     * {@link #CHECK_ALL} as {@link #CHECK_ONE_RESOLVED} reads one feature: the tier's resolved rows
     * of active features, each with its override and counter. Not {@code fresh} for an unknown
     * profile, a profile on {@code disabled}, a stored state that does not hold, or no active
     * feature; the caller then asks {@link #CHECK_ALL_STORED}. The profile's counters are a
     * subquery of their own ({@code OFFSET 0} keeps PostgreSQL from joining them in by key), so that
     * on a database of some size they are read in one index scan and merged with the features,
     * rather than looked up once per feature (bench/README.md, "Every feature, one scan of the
     * counters"). The overrides are read only when the profile has some ({@code override_count},
     * kept by triggers: V19__override_count.sql), which most profiles do not ("Overrides read only
     * where there are some"). The rows come in no particular order, as with {@link #CHECK_ALL}: the
     * snapshot orders the features, which spares PostgreSQL a sort and lets it hash the overrides in too.
     */
    public static final String CHECK_ALL_RESOLVED = resolved("r.active", """
            LATERAL (SELECT profile_id, feature_id, limit_value FROM user_feature_restrictions
                     WHERE profile.override_count > 0 AND profile_id = $1 OFFSET 0) o ON o.feature_id = r.feature_id""",
            """
            (SELECT profile_id, feature_id, usage_count, reset_at FROM user_feature_usage WHERE profile_id = $1
             OFFSET 0) u ON u.feature_id = r.feature_id""");

    /**
     * A statement on catalog_limits: its rows {@code r} of the profile's stored tier that match
     * {@code limits}, each with its override and counter: {@code overrides} and {@code usage} are
     * what the statement joins as {@code o} and {@code u}.
     */
    private static String resolved(String limits, String overrides, String usage) {
        return """
                SELECT %1$s,
                       coalesce(profile.fresh AND r.feature_id IS NOT NULL, false) AS fresh
                FROM (SELECT 1) one
                %2$s
                LEFT JOIN catalog_limits r ON r.tier_id = profile.state_tier AND %3$s
                LEFT JOIN LATERAL (SELECT r.require_verification, r.reset_zone) s ON true
                LEFT JOIN LATERAL (
                    SELECT r.feature_id AS id, r.limit_type, r.reset_period, r.active, r.category
                ) f ON true
                LEFT JOIN LATERAL (
                    SELECT profile.state_tier AS tier_id, r.tier_name, profile.state_source AS source,
                           profile.state_grant_id AS grant_id, profile.state_granted_by AS granted_by,
                           profile.state_valid_until AS valid_until
                ) e ON true
                LEFT JOIN %4$s
                LEFT JOIN %5$s
                """.formatted(stateColumns("r.limit_source", "r.limit_value"), STORED_PROFILE, limits, overrides, usage);
    }

    /** All active features of profile $1 at $2, one row each. */
    public static final String CHECK_ALL = checkAll("WITH RECURSIVE " + CONTEXT, COMPUTED_JOINS, "true AS fresh");

    /** {@link #CHECK_ALL} from the stored state: to be used only when {@code fresh}. */
    public static final String CHECK_ALL_STORED = checkAll("WITH " + settings(), STORED_JOINS, STORED_FRESH);

    private static String oneFeature(String context, String profileJoins, String fresh) {
        return """
                %s,
                state AS (
                    SELECT %s, %s
                    FROM settings s
                    %s
                    LEFT JOIN features f ON f.id = $3
                    %s
                )""".formatted(context, STATE_COLUMNS, fresh, profileJoins, FEATURE_JOINS);
    }

    private static String checkAll(String context, String profileJoins, String fresh) {
        return """
                %s
                SELECT %s, %s
                FROM settings s
                %s
                LEFT JOIN features f ON f.active
                %s
                """.formatted(context, STATE_COLUMNS, fresh, profileJoins, FEATURE_JOINS);
    }

    /** The profile's activation and effective tier at $2, without features: exactly one row. */
    public static final String ACCESS = """
            WITH RECURSIVE %s
            SELECT %s
            FROM settings s LEFT JOIN profile ON true LEFT JOIN effective e ON true
            """.formatted(CONTEXT, ACCESS_COLUMNS);

    /** {@link #ACCESS} from the stored state: to be used only when {@code fresh}. */
    public static final String ACCESS_STORED = """
            WITH %s
            SELECT %s, %s
            FROM settings s
            %s
            """.formatted(settings(), ACCESS_COLUMNS, STORED_FRESH, STORED_JOINS);

    private EntitlementSql() {
    }
}
