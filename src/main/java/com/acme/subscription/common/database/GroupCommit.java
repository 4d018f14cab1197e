package com.acme.subscription.common.database;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.sqlclient.TransactionRollbackException;

/**
 * Runs small writes that could each commit alone (consumes and releases sent without an
 * Idempotency-Key) in groups that commit together: the writes that arrive while the connections'
 * groups are running wait, and the next free connection takes them all (up to a group's size) into
 * one transaction. One commit, one WAL flush and one wake-up then serve the whole group, where a
 * write that commits alone pays all three by itself (bench/README.md, "Group commit").
 * <p>
 * A write is answered only once its group has committed, so an answered write is a committed one, as
 * when it commits alone. What the group changes is only who shares the commit:
 * <ul>
 * <li>A write that fails without a failed statement (its own answer, e.g. a refusal) changed nothing
 * and is answered with it; the group commits for the others.</li>
 * <li>A statement the database refused, whatever its write made of the error, aborts the group's
 * transaction: the client then ends it with ROLLBACK instead of COMMIT and reports it rolled back.
 * Each of its writes is run again alone, so one write's error never becomes another's, and none is
 * applied twice. The transaction, not the kind of exception, says what took effect.</li>
 * <li>When the commit itself fails, whether it took effect is unknown, as for a write that commits
 * alone: each write of the group gets that failure (503).</li>
 * </ul>
 * Locks: a group holds the rows its writes lock until it commits. Its writes run in the order of
 * their keys (the profile), and two writes with the same key never share a group (the second waits
 * for a later one), so that groups running side by side lock rows in the same order and do not
 * deadlock each other. Should another transaction still deadlock with a group, PostgreSQL aborts one
 * of them, and an aborted group runs its writes again alone.
 * <p>
 * At most {@code maxWaiting} writes wait; the next one fails at once with
 * {@link ConnectionPoolTooBusyException}, answered 503 like a full pool's wait queue. A write that
 * finds a connection free runs alone at once: under light load nothing waits for company.
 * <p>
 * One statement for a group: writes of one kind that a single statement can run together (consumes,
 * {@link Merged}) run in one when their group has no other kind of write, since starting a statement
 * costs the database more than a consume's own rows (bench/README.md, "One statement for a group's
 * consumes"). That statement writes their rows in the order of their keys, as the group's writes
 * would one by one; a group that also holds other writes runs each write's own statements. Should the
 * merged statement fail, each write runs again alone, as above.
 * <p>
 * Metrics: {@code subscriptions.writes.waiting} (writes waiting for a connection; the writes' pool
 * itself never has more waiters than connections), {@code subscriptions.writes.group.size} (writes
 * per group or write alone) and {@code subscriptions.writes.merged} (writes run in one statement with
 * their group).
 */
public final class GroupCommit {

    /**
     * Writes of one kind that a group runs in one statement: given the inputs of the group's writes
     * (each of another key, in the order of their keys), their results in the same order.
     */
    @FunctionalInterface
    public interface Merged<I, R> {
        Uni<List<R>> runAll(SqlClient client, List<I> inputs);
    }

    /** A write's part in a merged statement: its input, and its answer from its result. */
    private record Merge(Merged<Object, Object> merged, Object input, Function<Object, Object> answer) {
    }

    /**
     * A write: the key it locks rows under, its statements, its part in a merged statement (or
     * null), and who waits for its answer (on its context).
     */
    private record Write(String key, Function<SqlClient, ? extends Uni<?>> work, Merge merge, Context context,
            UniEmitter<Object> emitter) {
    }

    /** What a write ended with: an item, or a failure. */
    private record Outcome(Object item, Throwable failure) {
    }

    private final Pool pool;
    private final int connections;
    private final int maxGroupSize;
    private final int maxWaiting;
    private final DistributionSummary groupSizes;
    private final Counter merged;

    private final ArrayDeque<Write> waiting = new ArrayDeque<>();
    /** Groups (or writes alone) running, at most one per connection. */
    private int running;

    /** @param pool the connections groups run on, {@code connections} of them */
    public GroupCommit(Pool pool, int connections, int maxGroupSize, int maxWaiting, MeterRegistry registry) {
        this.pool = pool;
        this.connections = connections;
        this.maxGroupSize = maxGroupSize;
        this.maxWaiting = maxWaiting;
        this.groupSizes = DistributionSummary.builder("subscriptions.writes.group.size")
                .description("Writes that shared one commit (1: a write that ran alone)").register(registry);
        this.merged = Counter.builder("subscriptions.writes.merged")
                .description("Writes a group ran in one statement with the others of their kind").register(registry);
        Gauge.builder("subscriptions.writes.waiting", this, GroupCommit::waiting)
                .description("Writes waiting for a write connection").register(registry);
    }

    private synchronized int waiting() {
        return waiting.size();
    }

    /**
     * Runs {@code work} on the client it is given, in a group or alone, and answers with what it
     * answered once that has committed. {@code key} names what the work's rows belong to (the
     * profile); the work must not depend on running in a transaction of its own.
     */
    public <T> Uni<T> run(String key, Function<SqlClient, Uni<T>> work) {
        return run(key, work, null);
    }

    /**
     * {@link #run} for a write that a group whose writes are all of {@code merged} runs together
     * with the others in one statement: {@code merged} runs {@code input} there, {@code alone} runs
     * it by itself (with no company, or when its group is run again write by write), and
     * {@code answer} makes the write's answer of either's result.
     */
    @SuppressWarnings("unchecked")
    public <I, R, T> Uni<T> run(String key, Merged<I, R> merged, I input, Function<SqlClient, Uni<R>> alone,
            Function<R, T> answer) {
        Merge merge = new Merge((Merged<Object, Object>) merged, input, result -> answer.apply((R) result));
        return run(key, client -> alone.apply(client).map(answer), merge);
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> run(String key, Function<SqlClient, Uni<T>> work, Merge merge) {
        return Uni.createFrom().<Object> emitter(emitter -> enqueue(
                new Write(Objects.requireNonNullElse(key, ""), work, merge, Vertx.currentContext(), emitter)))
                .map(item -> (T) item);
    }

    private void enqueue(Write write) {
        List<Write> group;
        synchronized (this) {
            if (waiting.size() >= maxWaiting) {
                group = null;
            } else {
                waiting.add(write);
                if (running >= connections) {
                    return;
                }
                running++;
                group = take();
            }
        }
        if (group == null) {
            write.emitter().fail(new ConnectionPoolTooBusyException(
                    "Too many writes are waiting for a connection (" + maxWaiting + ")"));
            return;
        }
        start(group);
    }

    /** The next group: the waiting writes in order of arrival, one per key, in the order of their keys. */
    private List<Write> take() {
        List<Write> group = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Iterator<Write> it = waiting.iterator(); it.hasNext() && group.size() < maxGroupSize;) {
            Write write = it.next();
            if (keys.add(write.key())) {
                group.add(write);
                it.remove();
            }
        }
        group.sort(Comparator.comparing(Write::key));
        return group;
    }

    private void start(List<Write> group) {
        groupSizes.record(group.size());
        Uni<Void> ran = group.size() == 1 ? alone(group.get(0)) : together(group);
        ran.subscribe().with(done -> next(), failure -> next());
    }

    /** The connection is free again: the next group, if any write waits. */
    private void next() {
        List<Write> group;
        synchronized (this) {
            if (waiting.isEmpty()) {
                running--;
                return;
            }
            group = take();
        }
        start(group);
    }

    /** The write's statements each commit alone, on the group's connections. */
    private Uni<Void> alone(Write write) {
        return outcome(write, pool).invoke(outcome -> deliver(write, outcome)).replaceWithVoid();
    }

    private Uni<Void> together(List<Write> group) {
        AtomicBoolean sent = new AtomicBoolean();
        return pool.withConnection(connection -> {
            sent.set(true);
            return inOneTransaction(connection, group);
        }).onItemOrFailure().transformToUni((outcomes, failure) -> {
            if (failure == null) {
                for (int i = 0; i < group.size(); i++) {
                    deliver(group.get(i), outcomes.get(i));
                }
                return Uni.createFrom().voidItem();
            }
            if (sent.get() && !(failure instanceof TransactionRollbackException)) {
                // BEGIN or COMMIT failed: whether the writes took effect is unknown
                group.forEach(write -> deliver(write, new Outcome(null, failure)));
                return Uni.createFrom().voidItem();
            }
            // no connection, or rolled back: nothing of the group took effect
            return Uni.join().all(group.stream().map(this::alone).toList()).andCollectFailures().replaceWithVoid();
        });
    }

    /**
     * The writes' outcomes once committed; fails with {@link TransactionRollbackException} when a
     * statement failed, since the client then rolls the transaction back instead.
     */
    private Uni<List<Outcome>> inOneTransaction(SqlConnection connection, List<Write> group) {
        // BEGIN and the writes' first statements go out together, pipelined: one round trip
        return Uni.combine().all().unis(connection.begin(), outcomes(connection, group))
                .asTuple()
                .flatMap(begun -> begun.getItem1().commit().replaceWith(begun.getItem2()));
    }

    /**
     * The group's outcomes: of one statement when all its writes are of one {@link Merged}, else of
     * each write's own statements. Only a group of one kind merges, so that its rows are still
     * locked in the order of their keys, as the writes of a mixed group lock them one by one.
     */
    private Uni<List<Outcome>> outcomes(SqlClient client, List<Write> group) {
        Merge first = group.get(0).merge();
        if (first == null || group.stream().anyMatch(write -> write.merge() == null
                || write.merge().merged() != first.merged())) {
            return Uni.join().all(group.stream().map(write -> outcome(write, client)).toList()).andFailFast();
        }
        List<Object> inputs = group.stream().map(write -> write.merge().input()).toList();
        return Uni.createFrom().deferred(() -> first.merged().runAll(client, inputs))
                .onItemOrFailure().transform((results, failure) -> {
                    if (failure == null) {
                        merged.increment(group.size());
                    }
                    List<Outcome> outcomes = new ArrayList<>(group.size());
                    for (int i = 0; i < group.size(); i++) {
                        outcomes.add(failure != null ? new Outcome(null, failure)
                                : answered(group.get(i).merge(), results.get(i)));
                    }
                    return outcomes;
                });
    }

    /** A merged write's answer of its result; a refusal (the answer fails) is that write's alone. */
    private static Outcome answered(Merge merge, Object result) {
        try {
            return new Outcome(merge.answer().apply(result), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    /** The write's outcome; never fails. */
    private static Uni<Outcome> outcome(Write write, SqlClient client) {
        return Uni.createFrom().deferred(() -> write.work().apply(client))
                .onItemOrFailure().transform((item, failure) -> new Outcome(item, failure));
    }

    /** Answers on the write's own context, where its request goes on. */
    private static void deliver(Write write, Outcome outcome) {
        Runnable answer = outcome.failure() == null ? () -> write.emitter().complete(outcome.item())
                : () -> write.emitter().fail(outcome.failure());
        if (write.context() == null || write.context() == Vertx.currentContext()) {
            answer.run();
        } else {
            write.context().runOnContext(v -> answer.run());
        }
    }
}
