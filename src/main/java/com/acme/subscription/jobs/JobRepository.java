package com.acme.subscription.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.grant.GrantRepository;
import com.acme.subscription.grant.GrantSql;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One batch of each job: one transaction, at most {@code batchSize} profiles or rows.
 * Batches are taken with SKIP LOCKED and every change is conditional, so replicas running
 * the same job at the same moment share the work and never do a change twice.
 */
@ApplicationScoped
public class JobRepository {

    /** What a batch did: how many units it took (0: nothing left) and how many rows it changed. */
    public record Batch(long taken, long rows) {
    }

    private final Pool pool;
    private final GrantRepository grants;
    /** The service publishes events to Kafka (docs/kafka.md): prune keeps what Kafka has not acknowledged. */
    private final boolean publishing;

    public JobRepository(Pool pool, GrantRepository grants,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> kafkaBootstrapServers) {
        this.pool = pool;
        this.grants = grants;
        this.publishing = kafkaBootstrapServers.filter(servers -> !servers.isBlank()).isPresent();
    }

    /**
     * Expires up to batchSize due grants that are not Wellpass grants, in one statement, then
     * announces the tiers that fell. SKIP LOCKED never waits on a grant or a profile an API request
     * holds ({@link JobSql#EXPIRE_GRANTS}), and the conditional update never expires a grant twice.
     */
    public Uni<Batch> expireGrants(Instant now, int batchSize, Origin origin) {
        return inBatch(tx -> tx.preparedQuery(JobSql.EXPIRE_GRANTS)
                .execute(Tuple.of(Timestamps.utc(now), batchSize, origin.ipAddress(), origin.userAgent()))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    List<String> profiles = List.of(row.getArrayOfStrings("profiles"));
                    return (profiles.isEmpty() ? Uni.createFrom().item(0L)
                            : grants.announceTiers(tx, profiles, now, GrantRepository.TierChange.GRANT_EXPIRED))
                            .replaceWith(batch(row));
                }));
    }

    /** Announces grant.expiring for up to batchSize grants that end soon (expire-grants). */
    public Uni<Batch> announceExpiring(Instant now, int batchSize) {
        return inBatch(tx -> tx.preparedQuery(GrantSql.ANNOUNCE_EXPIRING)
                .execute(Tuple.of(new String[0], Timestamps.utc(now), batchSize))
                .map(rows -> batch(rows.iterator().next())));
    }

    /**
     * Settles up to batchSize profiles whose Wellpass grants are due (expire-grants) or whose
     * paused grants' pause has ended (resume-grants), under their row locks: an ending Wellpass
     * grant resumes (or re-points) the grants it paused.
     */
    public Uni<Batch> settleGrants(JobName job, Instant now, int batchSize, Origin origin) {
        String candidates = job == JobName.EXPIRE_GRANTS ? JobSql.LOCK_PROFILES_WITH_DUE_WELLPASS
                : JobSql.LOCK_PROFILES_WITH_ENDED_PAUSE;
        return inBatch(tx -> tx.preparedQuery(candidates)
                .execute(Tuple.of(Timestamps.utc(now), batchSize))
                .flatMap(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("id")));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(new Batch(0, 0));
                    }
                    return grants.settle(tx, ids, now, origin).map(settled -> new Batch(ids.size(), settled.total()));
                }));
    }

    /**
     * Writes the stored state of up to batchSize profiles whose state is stale (expire-grants): a
     * change that did not write it (a tier re-ranked, an operator's SQL) only marked it. Until then
     * their checks compute the effective tier; so this changes no answer, only what one costs.
     */
    public Uni<Batch> refreshStates(Instant now, int batchSize) {
        return inBatch(tx -> tx.preparedQuery(JobSql.LOCK_STALE_PROFILES).execute(Tuple.of(batchSize))
                .flatMap(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("id")));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(new Batch(0, 0));
                    }
                    return grants.refreshStates(tx, ids, now).map(written -> new Batch(ids.size(), written));
                }));
    }

    /** Zeroes up to batchSize counters whose period ended and moves resetAt to the next boundary. */
    public Uni<Batch> resetUsage(Instant now, int batchSize, Origin origin) {
        return inBatch(tx -> tx.preparedQuery(JobSql.RESET_USAGE)
                .execute(Tuple.of(Timestamps.utc(now), batchSize, origin.ipAddress(), origin.userAgent()))
                .map(rows -> batch(rows.iterator().next())));
    }

    /** What prune deletes: rows that have outlived their use ($1 now, $2 batch size). */
    enum Prunable {
        ACTIVITY(JobSql.PRUNE_ACTIVITY),
        EVENTS(JobSql.PRUNE_EVENTS),
        BILLING_EVENTS(JobSql.PRUNE_BILLING_EVENTS),
        IDEMPOTENCY_KEYS(JobSql.PRUNE_IDEMPOTENCY_KEYS),
        REDEMPTION_FAILURES(JobSql.PRUNE_REDEMPTION_FAILURES),
        TOKENS(JobSql.PRUNE_TOKENS);

        final String statement;

        Prunable(String statement) {
            this.statement = statement;
        }
    }

    /** Deletes up to batchSize rows of one kind that have outlived their use. */
    public Uni<Batch> prune(Prunable kind, Instant now, int batchSize) {
        Tuple parameters = kind == Prunable.EVENTS ? Tuple.of(Timestamps.utc(now), batchSize, publishing)
                : Tuple.of(Timestamps.utc(now), batchSize);
        return inBatch(tx -> tx.preparedQuery(kind.statement).execute(parameters)
                .map(rows -> batch(rows.iterator().next())));
    }

    /**
     * One batch's transaction. Its commit does not wait for the WAL to reach the disk: a crash can
     * only lose whole batches, and every batch is done again by the next run while its condition holds.
     */
    private <T> Uni<T> inBatch(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(tx -> tx.query(JobSql.ASYNC_COMMIT).execute()
                .flatMap(set -> work.apply(tx)));
    }

    private static Batch batch(Row row) {
        return new Batch(row.getLong("taken"), row.getLong("rows"));
    }
}
