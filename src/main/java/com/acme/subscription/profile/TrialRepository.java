package com.acme.subscription.profile;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The trial: one grant of trial_tier for trial_duration_days, at most once per profile and e-mail address, ever. */
@ApplicationScoped
public class TrialRepository {

    /** The started trial grant. */
    public record Trial(String grantId, String tierId, Instant validUntil) {
    }

    /**
     * Starts the trial if the profile never had one and its address was never erased after
     * one. The caller holds the profile row lock, so two activations cannot both start one.
     */
    public Uni<Optional<Trial>> start(SqlClient tx, String profileId, Instant now) {
        return tx.preparedQuery("""
                WITH settings AS (
                    SELECT coalesce(max(value) FILTER (WHERE key = 'trial_duration_days'), '0')::INTEGER AS days,
                           max(value) FILTER (WHERE key = 'trial_tier') AS tier
                    FROM app_settings WHERE key IN ('trial_duration_days', 'trial_tier')
                ),
                eligible AS (
                    SELECT p.id FROM profiles p, settings s, installation i
                    WHERE p.id = $1 AND s.days > 0 AND s.tier IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.profile_id = p.id AND g.granted_by = 'trial')
                      AND NOT EXISTS (SELECT 1 FROM erased_emails e
                                      WHERE e.email_hash = encode(sha256(convert_to(i.email_salt || lower(p.email), 'UTF8')), 'hex'))
                ),
                trial AS (
                    INSERT INTO access_grants (id, profile_id, tier_id, granted_by, valid_from, valid_until, created, updated)
                    SELECT gen_random_uuid()::TEXT, $1, s.tier, 'trial', $2::TIMESTAMPTZ,
                           $2::TIMESTAMPTZ + make_interval(secs => s.days * 86400), $2::TIMESTAMPTZ, $2::TIMESTAMPTZ
                    FROM eligible, settings s
                    RETURNING id, tier_id, valid_until
                ),
                profile AS (
                    UPDATE profiles SET trial_ends_at = trial.valid_until, updated = $2::TIMESTAMPTZ FROM trial WHERE profiles.id = $1
                )
                SELECT id, tier_id, valid_until FROM trial
                """)
                .execute(Tuple.of(profileId, Timestamps.utc(now)))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next()).map(row -> new Trial(row.getString("id"),
                                row.getString("tier_id"), row.getOffsetDateTime("valid_until").toInstant())));
    }
}
