package com.acme.subscription.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.entitlement.EntitlementRepository;
import com.acme.subscription.entitlement.EntitlementRepository.Snapshot;
import com.acme.subscription.entitlement.EntitlementRules;
import com.acme.subscription.entitlement.FeatureState;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Counter changes, each one statement (see {@link UsageSql}); a group's consumes, one statement for all. */
@ApplicationScoped
public class UsageRepository {

    /** The counters' foreign key to their profile. */
    static final String PROFILE_FK = "user_feature_usage_profile_id_fkey";

    private final EntitlementRepository entitlements;

    public UsageRepository(EntitlementRepository entitlements) {
        this.entitlements = entitlements;
    }

    /**
     * The state after the statement, and whether it changed the counter. A refused consume shows
     * the counter it was refused on, which may be newer than the rest of the snapshot.
     */
    public record Outcome(Snapshot snapshot, boolean changed) {
    }

    /** A consume: {@code amount} more of feature {@code featureId} for profile {@code profileId}. */
    public record Consume(String profileId, String featureId, int amount) {
    }

    /**
     * Consumes in one statement. When it was refused although its snapshot had room (it lost a race
     * for the counter row), the answer shows the counter that refused it; and if that counter has
     * room again by then (a release came in between), the consume is tried once more.
     */
    public Uni<Outcome> consume(SqlClient client, Consume consume, Instant now) {
        return consume(client, consume, now, true);
    }

    private Uni<Outcome> consume(SqlClient client, Consume consume, Instant now, boolean mayRetry) {
        return consumeOnce(client, consume, now).flatMap(outcome -> settled(client, consume, now, outcome, mayRetry));
    }

    /**
     * Consumes of different profiles in one statement ({@link UsageSql#CONSUME_ALL_RESOLVED}), in
     * the order given; each is answered as {@link #consume} answers it. Null for one the statement
     * could not decide, having changed nothing for it: its row could not answer (its stored state
     * does not hold now), or it lost a race for its counter. {@link #consume} then runs it by itself
     * (GroupCommit does, once the others have committed), as it would have run without company.
     */
    public Uni<List<Outcome>> consumeAll(SqlClient client, List<Consume> consumes, Instant now) {
        int n = consumes.size();
        String[] profiles = new String[n];
        String[] features = new String[n];
        Integer[] amounts = new Integer[n];
        for (int i = 0; i < n; i++) {
            profiles[i] = consumes.get(i).profileId();
            features[i] = consumes.get(i).featureId();
            amounts[i] = consumes.get(i).amount();
        }
        return client.preparedQuery(UsageSql.CONSUME_ALL_RESOLVED)
                .execute(Tuple.of(profiles, Timestamps.utc(now), features, amounts))
                .map(rows -> {
                    Row[] byConsume = new Row[n];
                    rows.forEach(row -> byConsume[row.getInteger("consume") - 1] = row);
                    List<Outcome> outcomes = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        Outcome outcome = byConsume[i].getBoolean("fresh")
                                ? outcome(consumes.get(i).profileId(), byConsume[i])
                                : null;
                        outcomes.add(outcome == null || lostRace(outcome, consumes.get(i).amount()) ? null : outcome);
                    }
                    return outcomes;
                });
    }

    /**
     * The consume's outcome: as its statement answered, unless it was refused although its
     * snapshot had room; then it shows the counter that refused it, and is tried once more if that
     * has room again ({@code mayRetry}).
     */
    private Uni<Outcome> settled(SqlClient client, Consume consume, Instant now, Outcome outcome, boolean mayRetry) {
        if (!lostRace(outcome, consume.amount())) {
            return Uni.createFrom().item(outcome);
        }
        return client.preparedQuery(UsageSql.COUNTER).execute(Tuple.of(consume.profileId(), consume.featureId()))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(outcome); // nothing to show beyond the snapshot
                    }
                    Row row = rows.iterator().next();
                    var resetAt = row.getOffsetDateTime("reset_at");
                    FeatureState latest = outcome.snapshot().features().get(0)
                            .withUsage(row.getLong("usage_count"), resetAt == null ? null : resetAt.toInstant());
                    Outcome refused = new Outcome(new Snapshot(outcome.snapshot().access(), List.of(latest)), false);
                    return mayRetry && fits(refused.snapshot(), consume.amount())
                            ? consume(client, consume, now, false)
                            : Uni.createFrom().item(refused);
                });
    }

    /**
     * The consume on the profile's stored state and the tier's resolved limit; when that cannot
     * answer (the statement then changed nothing), on the stored state and the catalog's tables; when
     * the state does not hold now either, on the effective tier computed from the grants.
     */
    private Uni<Outcome> consumeOnce(SqlClient client, Consume consume, Instant now) {
        return entitlements.firstResolved(client, UsageSql.CONSUME_RESOLVED, UsageSql.CONSUME_STORED, UsageSql.CONSUME,
                args(consume, now))
                .map(rows -> outcome(consume.profileId(), rows.get(0)));
    }

    /** Refused although its snapshot had room for {@code amount}: another write changed its counter first. */
    private static boolean lostRace(Outcome outcome, int amount) {
        return !outcome.changed() && fits(outcome.snapshot(), amount);
    }

    /** The parameters of a consume's statements. */
    private static Tuple args(Consume consume, Instant now) {
        return Tuple.of(consume.profileId(), Timestamps.utc(now), consume.featureId(), consume.amount());
    }

    /** The snapshot lets the profile use {@code amount} more of the metered feature it read. */
    private static boolean fits(Snapshot snapshot, int amount) {
        if (snapshot.features().isEmpty() || !snapshot.features().get(0).limitType().metered()) {
            return false;
        }
        return EntitlementRules.check(snapshot.access(), snapshot.features().get(0), amount).allowed();
    }

    public Uni<Outcome> release(SqlClient client, String profileId, String featureId, int amount, Instant now) {
        return run(client, UsageSql.RELEASE, profileId, featureId, amount, now);
    }

    public Uni<Outcome> reconcile(SqlClient client, String profileId, String featureId, int used, Instant now) {
        Tuple args = Tuple.of(profileId, Timestamps.utc(now), featureId, used);
        // raced: a counter created after the statement's snapshot; the next statement sees it
        return client.preparedQuery(UsageSql.RECONCILE).execute(args)
                .flatMap(rows -> rows.iterator().next().getBoolean("raced")
                        ? client.preparedQuery(UsageSql.RECONCILE).execute(args)
                        : Uni.createFrom().item(rows))
                .map(rows -> outcome(profileId, rows.iterator().next()));
    }

    private static Uni<Outcome> run(SqlClient client, String sql, String profileId, String featureId, int value,
            Instant now) {
        return client.preparedQuery(sql)
                .execute(Tuple.of(profileId, Timestamps.utc(now), featureId, value))
                .map(rows -> outcome(profileId, rows.iterator().next()));
    }

    /** The state a usage statement read, and the counter it wrote if it did. */
    private static Outcome outcome(String profileId, Row row) {
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
    }
}
