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
import java.util.function.Predicate;

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
import io.vertx.pgclient.PgException;
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
 * merged statement fail, each write runs again alone, as above. A write the statement could not
 * decide runs alone once the group has committed.
 * <p>
 * Two groups out on one connection: such a group goes out as its one statement alone, outside a
 * transaction block, which PostgreSQL runs as a transaction of its own and commits before it
 * answers (no BEGIN and COMMIT to send, parse and answer: bench/README.md, "A group's statement as
 * its own transaction"). While {@code secondGroupAt} writes or more wait, a second group of that
 * kind goes out on a connection whose first group is still out, so that the database has the next
 * group to run while the first one's commit is flushed and answered (bench/README.md, "Two groups
 * out on one connection"). PostgreSQL runs them in turn; each is answered as above. A statement the
 * database refuses changed nothing, and its writes run again alone. What follows a group (writes
 * run again, writes its statement could not decide) takes a turn of its own, as every write does:
 * it waits first in line, and no second group joins a connection while the oldest waiting write is
 * not of its kind, so that a connection comes free for it, and no write waits behind the groups
 * without end.
 * <p>
 * Metrics: {@code subscriptions.writes.waiting} (writes waiting for a connection; the writes' pool
 * itself never has more waiters than connections), {@code subscriptions.writes.group.size} (writes
 * per group or write alone), {@code subscriptions.writes.merged} (writes run in one statement with
 * their group) and {@code subscriptions.writes.pipelined} (groups sent on a connection whose first group
 * was still out).
 */
public final class GroupCommit {

    /**
     * Writes of one kind that a group runs in one statement: given the inputs of the group's writes
     * (each of another key, in the order of their keys), their results in the same order. It runs
     * exactly one statement on the client, sent when the returned Uni is subscribed to, and outside
     * a transaction block: the statement is the group's transaction. A null result says the
     * statement changed nothing for that write (it could not decide it); the write then runs alone
     * once the group has committed.
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
     * null), whether it must run alone, and who waits for its answer (on its context).
     */
    private record Write(String key, Function<SqlClient, ? extends Uni<?>> work, Merge merge, boolean alone,
            Context context, UniEmitter<Object> emitter) {

        /** The same write, to be run by itself. */
        Write byItself() {
            return new Write(key, work, merge, true, context, emitter);
        }

        /** A write that a group of {@code kind} may run in its statement. */
        boolean of(Merged<Object, Object> kind) {
            return !alone && merge != null && merge.merged() == kind;
        }
    }

    /** What a write (or a message of a group) ended with: an item, or a failure. */
    private record Outcome(Object item, Throwable failure) {
    }

    /**
     * A write connection whose groups are all of one merged kind, each sent as its one statement,
     * a transaction of its own; up to two are out on it at a time.
     */
    private static final class Lane {
        final Merged<Object, Object> kind;
        /** Null until the pool has given it. */
        SqlConnection connection;
        /** Every group goes out from here, so that two groups' messages never interleave. */
        Context context;
        /** Groups sent and not yet answered. */
        int out;
        /** Its connection was lost: no second group joins it, and it goes back to the pool a turn later. */
        boolean broken;

        Lane(Merged<Object, Object> kind) {
            this.kind = kind;
        }
    }

    private final Pool pool;
    private final int connections;
    private final int maxGroupSize;
    private final int maxWaiting;
    private final int secondGroupAt;
    private final DistributionSummary groupSizes;
    private final Counter merged;
    private final Counter behind;

    private final ArrayDeque<Write> waiting = new ArrayDeque<>();
    /** Connections' turns taken: groups or writes alone running, a lane counting once. At most {@code connections}. */
    private int running;
    private final List<Lane> lanes = new ArrayList<>();

    /**
     * @param pool the connections groups run on, {@code connections} of them
     * @param secondGroupAt writes waiting at which a second group of one merged kind goes out on a
     *        connection whose first is still out (0: never)
     */
    public GroupCommit(Pool pool, int connections, int maxGroupSize, int maxWaiting, int secondGroupAt,
            MeterRegistry registry) {
        this.pool = pool;
        this.connections = connections;
        this.maxGroupSize = maxGroupSize;
        this.maxWaiting = maxWaiting;
        this.secondGroupAt = secondGroupAt;
        this.groupSizes = DistributionSummary.builder("subscriptions.writes.group.size")
                .description("Writes that shared one commit (1: a write that ran alone)").register(registry);
        this.merged = Counter.builder("subscriptions.writes.merged")
                .description("Writes a group ran in one statement with the others of their kind").register(registry);
        this.behind = Counter.builder("subscriptions.writes.pipelined")
                .description("Groups sent on a write connection while another group was still out on it")
                .register(registry);
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
     * it by itself (with no company, when its group is run again write by write, or when the merged
     * statement could not decide it), and {@code answer} makes the write's answer of either's result.
     */
    @SuppressWarnings("unchecked")
    public <I, R, T> Uni<T> run(String key, Merged<I, R> merged, I input, Function<SqlClient, Uni<R>> alone,
            Function<R, T> answer) {
        Merge merge = new Merge((Merged<Object, Object>) merged, input, result -> answer.apply((R) result));
        return run(key, client -> alone.apply(client).map(answer), merge);
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> run(String key, Function<SqlClient, Uni<T>> work, Merge merge) {
        return Uni.createFrom().<Object> emitter(emitter -> enqueue(new Write(Objects.requireNonNullElse(key, ""),
                work, merge, false, Vertx.currentContext(), emitter)))
                .map(item -> (T) item);
    }

    private void enqueue(Write write) {
        List<Write> group;
        Lane lane = null;
        synchronized (this) {
            if (waiting.size() >= maxWaiting) {
                group = null;
            } else {
                waiting.add(write);
                if (running < connections) {
                    running++;
                    group = take();
                } else {
                    lane = secondGroupLane();
                    if (lane == null) {
                        return;
                    }
                    group = takeOf(lane);
                }
            }
        }
        if (group == null) {
            write.emitter().fail(new ConnectionPoolTooBusyException(
                    "Too many writes are waiting for a connection (" + maxWaiting + ")"));
        } else if (lane != null) {
            sendBehind(lane, group);
        } else {
            start(group);
        }
    }

    /**
     * The next group: a write that must run alone by itself; else the waiting writes in order of
     * arrival, one per key, in the order of their keys.
     */
    private List<Write> take() {
        if (waiting.getFirst().alone()) {
            return List.of(waiting.removeFirst());
        }
        return takeAll(write -> !write.alone());
    }

    /** The waiting writes that {@code fit}, in order of arrival, one per key, in the order of their keys. */
    private List<Write> takeAll(Predicate<Write> fit) {
        List<Write> group = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Iterator<Write> it = waiting.iterator(); it.hasNext() && group.size() < maxGroupSize;) {
            Write write = it.next();
            if (fit.test(write) && keys.add(write.key())) {
                group.add(write);
                it.remove();
            }
        }
        group.sort(Comparator.comparing(Write::key));
        return group;
    }

    /**
     * A lane a second group may go out on now: many writes wait, the oldest of them is of the
     * lane's kind (so that no other write waits behind lanes that never let go of their
     * connections), and the lane has one group out. Null if none.
     */
    private Lane secondGroupLane() {
        if (secondGroupAt <= 0 || waiting.size() < secondGroupAt) {
            return null;
        }
        Write oldest = waiting.getFirst();
        for (Lane lane : lanes) {
            if (lane.out == 1 && lane.context != null && !lane.broken && oldest.of(lane.kind)) {
                return lane;
            }
        }
        return null;
    }

    /** The next group for {@code lane}: waiting writes of its kind, one per key, in the order of their keys. */
    private List<Write> takeOf(Lane lane) {
        lane.out++;
        return takeAll(write -> write.of(lane.kind));
    }

    private void start(List<Write> group) {
        groupSizes.record(group.size());
        Merge first = group.get(0).merge();
        if (group.size() > 1 && first != null && group.stream().allMatch(write -> write.of(first.merged()))) {
            lane(first.merged(), group);
            return;
        }
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

    /** A group of writes of more than one kind: each write's own statements, in one transaction. */
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
            // no connection, or rolled back: nothing of the group took effect; each write takes a turn alone
            requeue(group);
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * The writes' outcomes once committed; fails with {@link TransactionRollbackException} when a
     * statement failed, since the client then rolls the transaction back instead.
     */
    private Uni<List<Outcome>> inOneTransaction(SqlConnection connection, List<Write> group) {
        // BEGIN and the writes' first statements go out together, pipelined: one round trip
        Uni<List<Outcome>> outcomes = Uni.join().all(group.stream().map(write -> outcome(write, connection)).toList())
                .andFailFast();
        return Uni.combine().all().unis(connection.begin(), outcomes)
                .asTuple()
                .flatMap(begun -> begun.getItem1().commit().replaceWith(begun.getItem2()));
    }

    /**
     * A group of one merged kind takes a connection as a lane, and goes out on it. Only a group of
     * one kind merges, so that its rows are still locked in the order of their keys, as the writes
     * of a mixed group lock them one by one.
     */
    private void lane(Merged<Object, Object> kind, List<Write> group) {
        Lane lane = new Lane(kind);
        lane.out = 1;
        synchronized (this) {
            lanes.add(lane);
        }
        pool.getConnection().subscribe().with(connection -> {
            synchronized (this) {
                lane.connection = connection;
                // the pool answers on a context; only then may a second group join
                lane.context = Vertx.currentContext();
            }
            send(lane, group);
        }, failure -> {
            synchronized (this) {
                lanes.remove(lane);
            }
            group.forEach(write -> deliver(write, new Outcome(null, failure)));
            next();
        });
    }

    /** A second group on {@code lane}, sent from the lane's context behind the one still out. */
    private void sendBehind(Lane lane, List<Write> group) {
        groupSizes.record(group.size());
        behind.increment();
        lane.context.runOnContext(v -> send(lane, group));
    }

    /**
     * The merged statement, by itself: outside a transaction block, PostgreSQL runs it as a
     * transaction of its own and commits it before it answers, so the statement's answer says what
     * took effect. Its result: committed. A database error: it changed nothing (an error ends the
     * statement's transaction in a rollback). Any other failure (the connection was lost): unknown.
     */
    private void send(Lane lane, List<Write> group) {
        List<Object> inputs = group.stream().map(write -> write.merge().input()).toList();
        outcome(Uni.createFrom().deferred(() -> lane.kind.runAll(lane.connection, inputs))).subscribe()
                .with(statement -> ended(lane, group, statement));
    }

    @SuppressWarnings("unchecked")
    private void ended(Lane lane, List<Write> group, Outcome statement) {
        if (statement.failure() instanceof PgException) {
            // the database refused the statement: it changed nothing (PostgreSQL reports no error once a
            // transaction has committed), and the connection answered, so it still serves
            requeue(group);
        } else if (statement.failure() != null) {
            // the connection was lost: whether the group took effect is unknown; no group joins it, and it
            // goes back to the pool a turn later, so that the pool does not hand it out again
            synchronized (this) {
                lane.broken = true;
            }
            group.forEach(write -> deliver(write, statement));
        } else {
            List<Object> results = (List<Object>) statement.item();
            merged.increment(results.stream().filter(Objects::nonNull).count());
            List<Write> undecided = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                if (results.get(i) == null) {
                    undecided.add(group.get(i));
                } else {
                    deliver(group.get(i), answered(group.get(i).merge(), results.get(i)));
                }
            }
            requeue(undecided);
        }
        laneEnded(lane);
    }

    /** One group of the lane has ended: a second group if many writes wait, or the connection's next turn. */
    private void laneEnded(Lane lane) {
        List<Write> group = null;
        Lane next = null;
        boolean drained;
        synchronized (this) {
            lane.out--;
            drained = lane.out == 0;
            if (drained) {
                lanes.remove(lane);
            } else {
                next = secondGroupLane();
                if (next != null) {
                    group = takeOf(next);
                }
            }
        }
        if (next != null) {
            sendBehind(next, group);
        }
        if (drained && lane.broken && lane.context != null) {
            // a lost connection fails its messages before the pool takes it out: give it back a turn later,
            // so that the pool does not hand it out again
            lane.context.runOnContext(v -> release(lane));
        } else if (drained) {
            release(lane);
        }
    }

    private void release(Lane lane) {
        lane.connection.close().subscribe().with(closed -> next(), failure -> next());
    }

    /**
     * Writes to run again by themselves, first of all: those of a group the database refused, and
     * those its merged statement could not decide.
     */
    private void requeue(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        List<Write> group = null;
        synchronized (this) {
            for (int i = writes.size() - 1; i >= 0; i--) {
                waiting.addFirst(writes.get(i).byItself());
            }
            if (running < connections) {
                running++;
                group = take();
            }
        }
        if (group != null) {
            start(group);
        }
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
        return outcome(Uni.createFrom().deferred(() -> write.work().apply(client)));
    }

    /** What {@code uni} ends with; never fails. */
    private static Uni<Outcome> outcome(Uni<?> uni) {
        return uni.onItemOrFailure().transform((item, failure) -> new Outcome(item, failure));
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
