package com.acme.subscription.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.grant.NewGrant;
import com.acme.subscription.settings.SettingKey;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The trial: one grant of trial_tier for trial_duration_days, at most once per profile and e-mail address, ever. */
@ApplicationScoped
public class TrialRepository {

    /**
     * The trial this profile may start now, if any: it never had one, its address was never
     * erased after one, and the settings give a trial.
     */
    static final String DUE = """
            WITH settings AS (
                SELECT %s::INTEGER AS days, %s AS tier
                FROM %s
            )
            SELECT s.days, s.tier FROM profiles p, settings s, installation i
            WHERE p.id = $1 AND s.days > 0 AND s.tier IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.profile_id = p.id AND g.granted_by = '%s')
              AND NOT EXISTS (SELECT 1 FROM erased_emails e WHERE e.email_hash = %s)
            """.formatted(SettingKey.TRIAL_DURATION_DAYS.sql(), SettingKey.TRIAL_TIER.sql(),
            SettingKey.rows(SettingKey.TRIAL_DURATION_DAYS, SettingKey.TRIAL_TIER), NewGrant.TRIAL,
            ProfileRepository.EMAIL_HASH.formatted("p.email"));

    /** The trial grant due now, if any. The caller holds the profile lock, so two activations cannot both start one. */
    public Uni<Optional<NewGrant>> due(SqlClient tx, String profileId, Instant now) {
        return tx.preparedQuery(DUE).execute(Tuple.of(profileId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next()).map(row -> new NewGrant(profileId, row.getString("tier"),
                                NewGrant.TRIAL, null, false, now, now.plus(Duration.ofDays(row.getInteger("days"))))));
    }
}
