package com.acme.subscription.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.grant.NewGrant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The trial: one grant of trial_tier for trial_duration_days, at most once per profile and e-mail address, ever. */
@ApplicationScoped
public class TrialRepository {

    /**
     * The trial grant this profile may start now, if any: never had one, its address was
     * never erased after one, and the settings give a trial. The caller holds the profile
     * row lock, so two activations cannot both start one.
     */
    public Uni<Optional<NewGrant>> due(SqlClient tx, String profileId, Instant now) {
        return tx.preparedQuery("""
                WITH settings AS (
                    SELECT coalesce(max(value) FILTER (WHERE key = 'trial_duration_days'), '0')::INTEGER AS days,
                           max(value) FILTER (WHERE key = 'trial_tier') AS tier
                    FROM app_settings WHERE key IN ('trial_duration_days', 'trial_tier')
                )
                SELECT s.days, s.tier FROM profiles p, settings s, installation i
                WHERE p.id = $1 AND s.days > 0 AND s.tier IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.profile_id = p.id AND g.granted_by = 'trial')
                  AND NOT EXISTS (SELECT 1 FROM erased_emails e
                                  WHERE e.email_hash = encode(sha256(convert_to(i.email_salt || lower(p.email), 'UTF8')), 'hex'))
                """)
                .execute(Tuple.of(profileId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next()).map(row -> new NewGrant(profileId, row.getString("tier"),
                                NewGrant.TRIAL, null, false, now, now.plus(Duration.ofDays(row.getInteger("days"))))));
    }

    /** trialEndsAt follows the trial grant. */
    public Uni<Void> setTrialEnd(SqlClient tx, String profileId, Instant trialEndsAt, Instant now) {
        return tx.preparedQuery("UPDATE profiles SET trial_ends_at = $2, updated = $3 WHERE id = $1")
                .execute(Tuple.of(profileId, Timestamps.utc(trialEndsAt), Timestamps.utc(now)))
                .replaceWithVoid();
    }
}
