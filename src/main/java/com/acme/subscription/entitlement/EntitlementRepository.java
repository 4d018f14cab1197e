package com.acme.subscription.entitlement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.database.Pipelined;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads entitlements in one round trip each (the hot path: a single prepared statement), pipelined:
 * a check needs no transaction around its statement.
 */
@ApplicationScoped
public class EntitlementRepository {

    /** The column of every entitlement row that says whether it may be used ({@link EntitlementSql#ONE_FEATURE_STORED}). */
    private static final String FRESH = "fresh";

    private final SqlClient pipelined;
    private final EntitlementMetrics metrics;

    public EntitlementRepository(@Pipelined SqlClient pipelined, EntitlementMetrics metrics) {
        this.pipelined = pipelined;
        this.metrics = metrics;
    }

    /**
     * The profile and one feature; the feature part is null when the feature does not exist. Read
     * by key from the profile's stored state and the catalog's resolved limits when the state holds
     * now, else from the stored state and the catalog's own tables, else computed from the grants.
     */
    public Uni<Snapshot> one(String profileId, String featureId, Instant now) {
        Tuple args = Tuple.of(profileId, Timestamps.utc(now), featureId);
        return firstResolved(pipelined, EntitlementSql.CHECK_ONE_RESOLVED, EntitlementSql.CHECK_ONE_STORED, EntitlementSql.CHECK_ONE, args)
                .map(rows -> Snapshot.of(profileId, rows));
    }

    /** The profile and every active feature, by id; read as {@link #one} is. */
    public Uni<Snapshot> all(String profileId, Instant now) {
        Tuple args = Tuple.of(profileId, Timestamps.utc(now));
        return firstResolved(pipelined, EntitlementSql.CHECK_ALL_RESOLVED, EntitlementSql.CHECK_ALL_STORED, EntitlementSql.CHECK_ALL, args)
                .map(rows -> Snapshot.of(profileId, rows));
    }

    /**
     * The rows of {@code resolved} (a statement on catalog_limits) if {@code fresh}, else as
     * {@link #firstFresh}: the read or change falls back to the catalog's own tables (counted). Like
     * {@code stored}, a changing {@code resolved} must change nothing when not fresh.
     */
    public Uni<List<Row>> firstResolved(SqlClient client, String resolved, String stored, String computed, Tuple args) {
        return rows(client, resolved, args).flatMap(rows -> rows.get(0).getBoolean(FRESH)
                ? Uni.createFrom().item(rows)
                : fallBack(client, stored, computed, args));
    }

    /** What {@link #firstResolved} answers when {@code resolved} could not (counted): the rows of {@link #firstFresh}. */
    private Uni<List<Row>> fallBack(SqlClient client, String stored, String computed, Tuple args) {
        metrics.checkFellBack();
        return firstFresh(client, stored, computed, args);
    }

    /**
     * The rows of {@code stored} if they say the stored state holds ({@code fresh}), else those of
     * {@code computed}: the stored state is an answer computed earlier, never a different rule. A
     * statement that changes something on the stored state must change nothing when not fresh.
     */
    private Uni<List<Row>> firstFresh(SqlClient client, String stored, String computed, Tuple args) {
        return rows(client, stored, args).flatMap(rows -> {
            if (rows.get(0).getBoolean(FRESH)) {
                return Uni.createFrom().item(rows);
            }
            metrics.stateComputed();
            return rows(client, computed, args);
        });
    }

    private static Uni<List<Row>> rows(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(set -> {
            List<Row> list = new ArrayList<>(set.size());
            set.forEach(list::add);
            return list;
        });
    }

    /**
     * The profile's activation and effective tier, without features, read as {@link #one} reads them:
     * pipelined, from the stored state when it holds now, else computed from the grants.
     */
    public Uni<ProfileAccess> access(String profileId, Instant now) {
        return firstFresh(pipelined, EntitlementSql.ACCESS_STORED, EntitlementSql.ACCESS,
                Tuple.of(profileId, Timestamps.utc(now))).map(rows -> ProfileAccess.from(profileId, rows.get(0)));
    }

    /** The profile's activation and effective tier, without features, computed from the grants in {@code client}'s transaction. */
    public Uni<ProfileAccess> access(SqlClient client, String profileId, Instant now) {
        return client.preparedQuery(EntitlementSql.ACCESS).execute(Tuple.of(profileId, Timestamps.utc(now)))
                .map(rows -> ProfileAccess.from(profileId, rows.iterator().next()));
    }

    /** A profile's access and the state of the features read with it. */
    public record Snapshot(ProfileAccess access, List<FeatureState> features) {

        private static final Comparator<FeatureState> BY_FEATURE = Comparator.comparing(FeatureState::featureId);

        public static Snapshot of(String profileId, List<Row> rows) {
            ProfileAccess access = ProfileAccess.from(profileId, rows.get(0));
            List<FeatureState> features = rows.stream()
                    .filter(row -> row.getString("feature_id") != null)
                    .map(FeatureState::from)
                    .sorted(BY_FEATURE) // the statements leave the order to here
                    .toList();
            return new Snapshot(access, features);
        }
    }
}
