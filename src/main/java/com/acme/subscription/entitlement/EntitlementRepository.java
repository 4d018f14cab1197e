package com.acme.subscription.entitlement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads entitlements in one round trip each (the hot path: a single prepared statement). */
@ApplicationScoped
public class EntitlementRepository {

    private final Pool pool;

    public EntitlementRepository(Pool pool) {
        this.pool = pool;
    }

    /** The profile and one feature; the feature part is null when the feature does not exist. */
    public Uni<Snapshot> one(String profileId, String featureId, Instant now) {
        return pool.preparedQuery(EntitlementSql.CHECK_ONE).execute(Tuple.of(profileId, Timestamps.utc(now), featureId))
                .map(rows -> Snapshot.of(profileId, List.of(rows.iterator().next())));
    }

    /** The profile and every active feature, by id. */
    public Uni<Snapshot> all(String profileId, Instant now) {
        return pool.preparedQuery(EntitlementSql.CHECK_ALL).execute(Tuple.of(profileId, Timestamps.utc(now)))
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return Snapshot.of(profileId, list);
                });
    }

    /** The profile's activation and effective tier, without features. */
    public Uni<ProfileAccess> access(SqlClient client, String profileId, Instant now) {
        return client.preparedQuery(EntitlementSql.ACCESS).execute(Tuple.of(profileId, Timestamps.utc(now)))
                .map(rows -> ProfileAccess.from(profileId, rows.iterator().next()));
    }

    /** A profile's access and the state of the features read with it. */
    public record Snapshot(ProfileAccess access, List<FeatureState> features) {

        public static Snapshot of(String profileId, List<Row> rows) {
            ProfileAccess access = ProfileAccess.from(profileId, rows.get(0));
            List<FeatureState> features = rows.stream()
                    .filter(row -> row.getString("feature_id") != null)
                    .map(FeatureState::from)
                    .toList();
            return new Snapshot(access, features);
        }
    }
}
