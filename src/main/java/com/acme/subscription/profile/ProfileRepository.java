package com.acme.subscription.profile;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Profiles: reads through Panache, writes as statements inside the caller's transaction. */
@ApplicationScoped
public class ProfileRepository implements PanacheRepositoryBase<Profile, String> {

    static final String PRIMARY_KEY = "profiles_pkey";
    static final String EMAIL_KEY = "profiles_email_lower_key";
    static final String TIER_FK = "profiles_tier_fkey";

    private final Pool pool;

    public ProfileRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<ProfileView> insert(SqlClient tx, String id, String email, String baseTier, String invitedBy,
            Instant now) {
        return tx.preparedQuery("""
                WITH profile AS (
                    INSERT INTO profiles (id, email, role, tier, email_verified, invited_by, created, updated)
                    VALUES ($1, $2, 'user', $3, false, $5, $4, $4)
                    RETURNING %s
                ),
                stats AS (
                    INSERT INTO user_stats (profile_id, created, updated) SELECT id, $4, $4 FROM profile
                )
                SELECT * FROM profile
                """.formatted(ProfileView.COLUMNS))
                .execute(Tuple.from(java.util.Arrays.asList(id, email, baseTier, Timestamps.utc(now), invitedBy)))
                .map(rows -> ProfileView.from(rows.iterator().next()));
    }

    /**
     * Locks the profile row for the rest of the transaction: changes to one profile are serialised.
     * NO KEY UPDATE still lets other transactions insert rows that reference the profile.
     */
    public Uni<Optional<ProfileView>> lock(SqlClient tx, String id) {
        return tx.preparedQuery("SELECT %s FROM profiles WHERE id = $1 FOR NO KEY UPDATE".formatted(ProfileView.COLUMNS))
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(ProfileView.from(rows.iterator().next())));
    }

    public Uni<ProfileView> update(SqlClient tx, String id, String baseTier, String role, boolean emailVerified,
            Instant now) {
        return tx.preparedQuery("""
                UPDATE profiles SET tier = $2, role = $3, email_verified = $4, updated = $5 WHERE id = $1
                RETURNING %s
                """.formatted(ProfileView.COLUMNS))
                .execute(Tuple.of(id, baseTier, role, emailVerified, Timestamps.utc(now)))
                .map(rows -> ProfileView.from(rows.iterator().next()));
    }

    public Uni<ProfileView> read(SqlClient client, String id) {
        return client.preparedQuery("SELECT %s FROM profiles WHERE id = $1".formatted(ProfileView.COLUMNS))
                .execute(Tuple.of(id))
                .map(rows -> ProfileView.from(rows.iterator().next()));
    }

    /**
     * Erases the profile and, by cascade, every row of it; only a salted hash of its e-mail
     * address stays, so that registering again with it starts no second trial.
     */
    public Uni<Boolean> erase(String id, Instant now) {
        return pool.preparedQuery("""
                WITH gone AS (
                    DELETE FROM profiles WHERE id = $1 RETURNING email
                ),
                remembered AS (
                    INSERT INTO erased_emails (email_hash, erased_at)
                    SELECT encode(sha256(convert_to(i.email_salt || lower(g.email), 'UTF8')), 'hex'), $2
                    FROM gone g, installation i
                    ON CONFLICT (email_hash) DO NOTHING
                ),
                -- answers stored for retries of the profile's own (user token) requests
                keys AS (
                    DELETE FROM idempotency_keys WHERE subject = $1 AND EXISTS (SELECT 1 FROM gone)
                )
                SELECT count(*) AS erased FROM gone
                """)
                .execute(Tuple.of(id, Timestamps.utc(now)))
                .map(rows -> rows.iterator().next().getLong("erased") == 1);
    }
}
