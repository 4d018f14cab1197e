package com.acme.subscription.profile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Counts;
import com.acme.subscription.event.EventSql;
import com.acme.subscription.event.EventType;
import com.acme.subscription.grant.GrantSql;
import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Profiles. Reads go through Panache; the writes that must be atomic with other rows (a
 * registration with its statistics row, an erasure with the remembered address, a change
 * under the profile lock with its grants and activity) are the named statements below, run
 * in the caller's transaction. Their rows are read into the {@link Profile} entity by
 * {@link #profile(Row)}, so that a profile has one API view.
 */
@ApplicationScoped
public class ProfileRepository implements PanacheRepositoryBase<Profile, String> {

    static final String PRIMARY_KEY = "profiles_pkey";
    static final String EMAIL_KEY = "profiles_email_lower_key";
    static final String TIER_FK = "profiles_tier_fkey";

    /**
     * What an erased address leaves behind: a salted hash of it (SQL, over the e-mail expression
     * {@code %s} and the installation {@code i}). Erasure writes it and the trial rule reads it, so
     * an erased address never gets a second trial: one definition for both.
     */
    static final String EMAIL_HASH = "encode(sha256(convert_to(i.email_salt || lower(%s), 'UTF8')), 'hex')";

    static final String COLUMNS = "id, email, role, tier, trial_ends_at, email_verified, invited_by, created, updated";

    /** A new profile and its statistics row. */
    static final String INSERT = """
            WITH profile AS (
                INSERT INTO profiles (id, email, role, tier, email_verified, invited_by, created, updated)
                VALUES ($1, $2, 'user', $3, false, $5, $4, $4)
                RETURNING %s
            ),
            stats AS (
                INSERT INTO user_stats (profile_id, created, updated) SELECT id, $4, $4 FROM profile
            )
            SELECT * FROM profile
            """.formatted(COLUMNS);

    static final String READ = "SELECT %s FROM profiles WHERE id = $1".formatted(COLUMNS);

    /**
     * Profile $1 as a read at $2 sees it: a trial that a Wellpass grant paused, and that has resumed
     * by then, ends when its resumption says, before resume-grants writes that into trial_ends_at.
     */
    static final String READ_AT = "WITH RECURSIVE %s\nSELECT %s, %s AS resumed_trial_ends_at FROM profiles WHERE id = $1"
            .formatted(GrantSql.TRIAL_RESUMPTION, COLUMNS, GrantSql.TRIAL_RESUMED_UNTIL);

    /** Base tier, role and verification, under the profile lock. */
    static final String UPDATE = """
            UPDATE profiles SET tier = $2, role = $3, email_verified = $4, updated = $5 WHERE id = $1
            RETURNING %s
            """.formatted(COLUMNS);

    /**
     * The first statement of an erasure: the profile's row, locked as its delete would lock it. It
     * waits for the writers that hold the row (a registration under the profile's invitation holds
     * it for its foreign key) and keeps new ones out, so that {@link #ERASE}, which starts after it,
     * sees every profile it invited.
     */
    static final String LOCK_FOR_ERASURE = "SELECT 1 FROM profiles WHERE id = $1 FOR UPDATE";

    /**
     * The second statement of an erasure: the profiles it invited, locked in the order of their ids.
     * It waits for the writers that hold them (a verification writing {@code profile.activated}, which
     * names the inviter), so that {@link #ERASE} sees what they wrote. Invitations form a tree and an
     * erasure locks a profile before those it invited, so two erasures along one chain never wait for
     * each other in a circle.
     */
    static final String LOCK_INVITEES = "SELECT id FROM profiles WHERE invited_by = $1 ORDER BY id FOR NO KEY UPDATE";

    /**
     * Deletes the profile and, by cascade, every row of it (its Stripe customer, whose subscriptions
     * a trigger deletes: V20__forget_customer_subscriptions.sql); only the hash of its e-mail address
     * stays. The profiles it invited forget who invited them: the foreign key clears their
     * {@code invited_by}, and this statement the inviter's id in their registration's activity entry,
     * in their {@code profile.registered} and {@code profile.activated} events, and in the answers stored
     * for retries of requests about them (their registration's). After {@link #LOCK_FOR_ERASURE} and
     * {@link #LOCK_INVITEES}, before {@link #FORGET}: the delete waits for every writer that holds a
     * row of the profile (a consume in flight holds its counter), so that once it is done, what those
     * writers wrote is committed.
     */
    static final String ERASE = """
            -- the profiles it invited, as LOCK_INVITEES locked them ($3)
            WITH invitees AS (
                SELECT unnest($3::TEXT[]) AS id
            ),
            unnamed_in_activity AS (
                UPDATE user_activity_log a SET details = a.details - 'invitedBy'
                FROM invitees i WHERE a.profile_id = i.id AND a.details ->> 'invitedBy' = $1
            ),
            unnamed_in_events AS (
                UPDATE events e SET data = jsonb_set(e.data, '{invitedBy}', 'null')
                FROM invitees i WHERE e.profile_id = i.id AND e.data ->> 'invitedBy' = $1
            ),
            -- only answers that are a profile hold the field, and each of these names this inviter
            unnamed_in_answers AS (
                UPDATE idempotency_keys k
                SET response_body = jsonb_set(k.response_body::JSONB, '{invitedBy}', 'null')::TEXT
                FROM invitees i WHERE k.profile_id = i.id AND k.response_body LIKE '%%"invitedBy":"%%'
            ),
            gone AS (
                DELETE FROM profiles WHERE id = $1 RETURNING email
            ),
            remembered AS (
                INSERT INTO erased_emails (email_hash, erased_at)
                SELECT %s, $2 FROM gone g, installation i
                ON CONFLICT (email_hash) DO NOTHING
            )
            SELECT 1
            """.formatted(EMAIL_HASH.formatted("g.email"));

    /**
     * After {@link #ERASE}, in its transaction and with a snapshot of its own, which sees what the
     * writers it waited for committed: the answers stored for retries go, of the profile's own (user
     * token) requests and of every request about it (its registration, consumes, grants,
     * redemptions), and its events are replaced by one, profile.erased.
     */
    static final String FORGET = """
            WITH keys AS (
                DELETE FROM idempotency_keys WHERE subject = $1 OR profile_id = $1
            ),
            -- its earlier events carry its data; profile.erased, carrying none, is what stays
            forgotten AS (
                DELETE FROM events WHERE profile_id = $1
            ),
            erased_events (profile_id, type, data, ord) AS (
                SELECT $1::TEXT, '%s', '{}'::JSONB, 1
            ),
            %s
            SELECT 1
            """.formatted(EventType.PROFILE_ERASED.type(), EventSql.append("erased_events", "$2::TIMESTAMPTZ"));

    /** Raises the base tier to $2 when that ranks higher; answers the previous base tier, or no row. */
    static final String RAISE_BASE_TIER = """
            WITH current AS (
                -- disabled (no tier) ranks below every tier, one of the lowest possible sort order too
                SELECT p.tier, coalesce(t.sort_order::BIGINT, -2147483649) AS rank
                FROM profiles p LEFT JOIN tiers t ON t.id = p.tier WHERE p.id = $1
            )
            UPDATE profiles p SET tier = $2, updated = $3
            FROM current c, tiers target
            WHERE p.id = $1 AND target.id = $2 AND target.sort_order > c.rank
            RETURNING coalesce(c.tier, 'disabled') AS previous
            """;

    /** Counts a login in the profile's statistics (also for profiles older than their statistics row). */
    static final String RECORD_LOGIN = """
            INSERT INTO user_stats AS s (profile_id, last_login, login_count, created, updated)
            SELECT id, $2, 1, $2, $2 FROM profiles WHERE id = $1
            ON CONFLICT (profile_id) DO UPDATE SET last_login = EXCLUDED.last_login,
                login_count = LEAST(s.login_count::BIGINT + 1, 2147483647), updated = EXCLUDED.updated
            RETURNING 1
            """;

    /** trialEndsAt follows the trial grant. */
    static final String SET_TRIAL_END = "UPDATE profiles SET trial_ends_at = $2, updated = $3 WHERE id = $1";

    private final Pool pool;

    public ProfileRepository(Pool pool) {
        this.pool = pool;
    }

    /** Profiles by base tier ("disabled" for none); the caller opens the session. */
    public Uni<Map<String, Long>> countsByBaseTier() {
        return getSession().flatMap(session -> session
                .createSelectionQuery("select p.tier, count(p) from Profile p group by p.tier", Object[].class)
                .getResultList())
                .map(rows -> Counts.byKey(rows, tier -> tier == null ? Profile.DISABLED : (String) tier));
    }

    /** The one mapping of a profiles row outside Hibernate: into a detached entity. */
    static Profile profile(Row row) {
        Profile profile = new Profile();
        profile.id = row.getString("id");
        profile.email = row.getString("email");
        profile.role = row.getString("role");
        profile.tier = row.getString("tier");
        profile.trialEndsAt = Timestamps.instant(row.getOffsetDateTime("trial_ends_at"));
        profile.emailVerified = row.getBoolean("email_verified");
        profile.invitedBy = row.getString("invited_by");
        profile.created = Timestamps.instant(row.getOffsetDateTime("created"));
        profile.updated = Timestamps.instant(row.getOffsetDateTime("updated"));
        return profile;
    }

    public Uni<Profile> insert(SqlClient tx, String id, String email, String baseTier, String invitedBy, Instant now) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.from(Arrays.asList(id, email, baseTier, Timestamps.utc(now), invitedBy)))
                .map(rows -> profile(rows.iterator().next()));
    }

    public Uni<Optional<Profile>> read(SqlClient client, String id) {
        return client.preparedQuery(READ).execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(profile(rows.iterator().next())));
    }

    /** The profile as {@link #READ_AT} reads it at {@code now}, without writing or waiting for a lock. */
    public Uni<Optional<Profile>> readAt(SqlClient client, String id, Instant now) {
        return client.preparedQuery(READ_AT).execute(Tuple.of(id, Timestamps.utc(now))).map(rows -> {
            if (rows.rowCount() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            Profile profile = profile(row);
            OffsetDateTime resumed = row.getOffsetDateTime("resumed_trial_ends_at");
            if (resumed != null) {
                profile.trialEndsAt = Timestamps.instant(resumed);
            }
            return Optional.of(profile);
        });
    }

    public Uni<Profile> update(SqlClient tx, String id, String baseTier, String role, boolean emailVerified,
            Instant now) {
        return tx.preparedQuery(UPDATE).execute(Tuple.of(id, baseTier, role, emailVerified, Timestamps.utc(now)))
                .map(rows -> profile(rows.iterator().next()));
    }

    /** Erases the profile (see {@link #ERASE}); false when there was none. */
    public Uni<Boolean> erase(String id, Instant now) {
        Tuple args = Tuple.of(id, Timestamps.utc(now));
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK_FOR_ERASURE).execute(Tuple.of(id))
                .flatMap(locked -> locked.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery(LOCK_INVITEES).execute(Tuple.of(id))
                                .flatMap(invitees -> tx.preparedQuery(ERASE).execute(Tuple.of(id, Timestamps.utc(now),
                                        StreamSupport.stream(invitees.spliterator(), false)
                                                .map(row -> row.getString("id")).toArray(String[]::new))))
                                .flatMap(erased -> tx.preparedQuery(FORGET).execute(args)).replaceWith(true)));
    }

    /** The previous base tier ("disabled" for none) when the base tier was raised to tierId; empty when not. */
    public Uni<Optional<String>> raiseBaseTier(SqlClient tx, String profileId, String tierId, Instant now) {
        return tx.preparedQuery(RAISE_BASE_TIER).execute(Tuple.of(profileId, tierId, Timestamps.utc(now)))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("previous")));
    }

    /** False when there is no such profile. */
    public Uni<Boolean> recordLogin(SqlClient tx, String profileId, Instant now) {
        return tx.preparedQuery(RECORD_LOGIN).execute(Tuple.of(profileId, Timestamps.utc(now)))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<Void> setTrialEnd(SqlClient tx, String profileId, Instant trialEndsAt, Instant now) {
        return tx.preparedQuery(SET_TRIAL_END)
                .execute(Tuple.of(profileId, Timestamps.utc(trialEndsAt), Timestamps.utc(now)))
                .replaceWithVoid();
    }

}
