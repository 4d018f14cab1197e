package com.acme.subscription.usage;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.entitlement.EntitlementRepository.Snapshot;
import com.acme.subscription.entitlement.FeatureState;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Counter changes, each one statement (see {@link UsageSql}). */
@ApplicationScoped
public class UsageRepository {

    /**
     * The state after the statement, and whether it changed the counter. A refused consume shows
     * the counter it was refused on, which may be newer than the rest of the snapshot.
     */
    public record Outcome(Snapshot snapshot, boolean changed) {
    }

    public Uni<Outcome> consume(SqlClient client, String profileId, String featureId, int amount, Instant now) {
        return run(client, UsageSql.CONSUME, profileId, featureId, amount, now);
    }

    public Uni<Outcome> release(SqlClient client, String profileId, String featureId, int amount, Instant now) {
        return run(client, UsageSql.RELEASE, profileId, featureId, amount, now);
    }

    public Uni<Outcome> reconcile(SqlClient client, String profileId, String featureId, int used, Instant now) {
        return run(client, UsageSql.RECONCILE, profileId, featureId, used, now);
    }

    private static Uni<Outcome> run(SqlClient client, String sql, String profileId, String featureId, int value,
            Instant now) {
        return client.preparedQuery(sql)
                .execute(Tuple.of(profileId, Timestamps.utc(now), featureId, value))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Snapshot before = Snapshot.of(profileId, List.of(row));
                    boolean changed = row.getBoolean("changed");
                    Long newUsed = row.getLong("new_used");
                    if (newUsed == null) {
                        return new Outcome(before, changed);
                    }
                    var newReset = row.getOffsetDateTime("new_reset_at");
                    FeatureState after = before.features().get(0)
                            .withUsage(newUsed, newReset == null ? null : newReset.toInstant());
                    return new Outcome(new Snapshot(before.access(), List.of(after)), changed);
                });
    }
}
