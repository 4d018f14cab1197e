package com.acme.subscription.common;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.common.database.GroupCommit;
import com.acme.subscription.support.Database;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * GroupCommit on the service's database: writes that wait while the connection is busy share one
 * transaction, answered once it has committed; a database error in one of them runs each of them
 * again alone, whatever the write made of it; a write's own answer does not stop the others from
 * committing.
 */
@QuarkusTest
class GroupCommitTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    /**
     * GroupCommit on one connection, held by a first write until {@link #release}: the writes sent
     * meanwhile wait for it, then form one group.
     */
    private final class Held {

        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        private final GroupCommit groups;
        private final CompletableFuture<Void> gate = new CompletableFuture<>();
        private final CompletableFuture<Long> holder;

        Held(int maxWaiting) {
            this(maxWaiting, 0);
        }

        Held(int maxWaiting, int secondGroupAt) {
            groups = new GroupCommit(pool, 1, 64, maxWaiting, secondGroupAt, registry);
            holder = send("holder", client -> txid(client).call(() -> Uni.createFrom().completionStage(gate)));
        }

        <T> CompletableFuture<T> send(String key, Function<SqlClient, Uni<T>> work) {
            return groups.run(key, work).subscribeAsCompletionStage();
        }

        /** A write of {@code merged}: its answer is its result, unless it is "refuse". */
        CompletableFuture<String> send(String key, GroupCommit.Merged<String, String> merged, String input) {
            return groups.run(key, merged, input, client -> txid(client).map(txid -> "alone " + input + " " + txid),
                    result -> {
                        if (result.startsWith("refuse")) {
                            throw new IllegalStateException("refused");
                        }
                        return result;
                    }).subscribeAsCompletionStage();
        }

        /** Lets the first write end; its transaction id. */
        long release() throws Exception {
            gate.complete(null);
            return holder.get(10, TimeUnit.SECONDS);
        }
    }

    private static Uni<Long> txid(SqlClient client) {
        return client.query("SELECT txid_current()").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private static String status(long txid) {
        return (String) Database.query("SELECT txid_status(?)", txid).get(0).get("txid_status");
    }

    @Test
    void writesThatWaitShareOneTransactionCommittedBeforeTheyAreAnswered() throws Exception {
        Held held = new Held(256);
        List<CompletableFuture<Long>> waiting = new ArrayList<>();
        for (String key : List.of("p3", "p1", "p2", "p1")) {
            waiting.add(held.send(key, GroupCommitTest::txid));
        }
        long holder = held.release();

        long first = waiting.get(0).get(10, TimeUnit.SECONDS);
        assertNotEquals(holder, first, "the write that held the connection ran alone");
        assertEquals(first, waiting.get(1).get(10, TimeUnit.SECONDS), "p1 in p3's group");
        assertEquals(first, waiting.get(2).get(10, TimeUnit.SECONDS), "p2 in p3's group");
        long secondP1 = waiting.get(3).get(10, TimeUnit.SECONDS);
        assertNotEquals(first, secondP1, "a second write of p1 waits for the next group");
        assertEquals("committed", status(first), "the group had committed when its writes were answered");
        assertEquals("committed", status(secondP1));
        DistributionSummary sizes = held.registry.get("subscriptions.writes.group.size").summary();
        assertEquals(3, sizes.count(), "the holder alone, the group, the second p1 alone");
        assertEquals(3.0, sizes.max(), "p1, p2 and p3 together");
        assertEquals(5.0, sizes.totalAmount());
    }

    @Test
    void aWriteTheDatabaseRefusesRunsEveryWriteOfItsGroupAgainAlone() throws Exception {
        Held held = new Held(256);
        AtomicLong groupTxid = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Long> good = held.send("a", client -> {
            runs.incrementAndGet();
            return txid(client).invoke(txid -> groupTxid.compareAndSet(0, txid));
        });
        CompletableFuture<Long> refused = held.send("b", client -> client.query("SELECT 1 / 0").execute()
                .map(rows -> 0L));
        CompletableFuture<Long> other = held.send("c", GroupCommitTest::txid);
        held.release();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        assertInstanceOf(PgException.class, failure.getCause(), "the refused write gets its own error");
        assertEquals("22012", ((PgException) failure.getCause()).getSqlState());
        long goodTxid = good.get(10, TimeUnit.SECONDS);
        long otherTxid = other.get(10, TimeUnit.SECONDS);
        assertEquals(2, runs.get(), "run in the group, then again alone");
        assertEquals("aborted", status(groupTxid.get()), "the group was rolled back");
        assertNotEquals(goodTxid, otherTxid, "each ran again alone");
        assertEquals("committed", status(goodTxid));
        assertEquals("committed", status(otherTxid));
    }

    @Test
    void aDatabaseErrorAWriteTurnsIntoItsOwnAnswerStillRunsTheOthersAgainAlone() throws Exception {
        Held held = new Held(256);
        AtomicLong groupTxid = new AtomicLong();
        CompletableFuture<Long> good = held.send("a", client -> txid(client)
                .invoke(txid -> groupTxid.compareAndSet(0, txid)));
        // as a service would map a constraint violation to a 409: the transaction is aborted all the same
        CompletableFuture<Long> mapped = held.send("b", client -> client.query("SELECT 1 / 0").execute()
                .map(rows -> 0L).onFailure(PgException.class).transform(e -> new IllegalStateException("refused")));
        CompletableFuture<Long> other = held.send("c", GroupCommitTest::txid);
        held.release();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> mapped.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failure.getCause(), "the write keeps its own answer");
        long goodTxid = good.get(10, TimeUnit.SECONDS);
        long otherTxid = other.get(10, TimeUnit.SECONDS);
        assertEquals("aborted", status(groupTxid.get()), "the group was rolled back");
        assertEquals("committed", status(goodTxid), "and its other writes ran again and committed");
        assertEquals("committed", status(otherTxid));
    }

    @Test
    void aWritesOwnAnswerLeavesItsGroupToCommit() throws Exception {
        Held held = new Held(256);
        AtomicLong answeredIn = new AtomicLong();
        CompletableFuture<Long> answered = held.send("a", client -> txid(client).<Long> map(txid -> {
            answeredIn.set(txid);
            throw new IllegalStateException("refused");
        }));
        CompletableFuture<Long> other = held.send("b", GroupCommitTest::txid);
        held.release();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> answered.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        long otherTxid = other.get(10, TimeUnit.SECONDS);
        assertEquals(answeredIn.get(), otherTxid, "both in one group");
        assertEquals("committed", status(otherTxid));
    }

    @Test
    void writesBeyondTheWaitingBoundAreRefusedAtOnce() throws Exception {
        Held held = new Held(2);
        CompletableFuture<Long> first = held.send("a", GroupCommitTest::txid);
        CompletableFuture<Long> second = held.send("b", GroupCommitTest::txid);
        CompletableFuture<Long> third = held.send("c", GroupCommitTest::txid);

        ExecutionException failure = assertThrows(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionPoolTooBusyException.class, failure.getCause());
        assertEquals(2.0, held.registry.get("subscriptions.writes.waiting").gauge().value(), "the two within the bound");
        held.release();
        assertEquals(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS), "the two that waited, together");
    }

    /** Merged writes whose statement answers each input with its transaction id; the calls it got. */
    private static final class Merged implements GroupCommit.Merged<String, String> {

        final List<List<String>> calls = new ArrayList<>();
        final String sql;

        Merged(String sql) {
            this.sql = sql;
        }

        @Override
        public Uni<List<String>> runAll(SqlClient client, List<String> inputs) {
            calls.add(inputs);
            return client.query(sql).execute().map(rows -> {
                long txid = rows.iterator().next().getLong(0);
                return inputs.stream().map(input -> input + " " + txid).toList();
            });
        }
    }

    @Test
    void writesOfOneMergedKindRunInOneStatementInTheOrderOfTheirKeys() throws Exception {
        Held held = new Held(256);
        Merged merged = new Merged("SELECT txid_current()");
        CompletableFuture<String> c = held.send("p3", merged, "c");
        CompletableFuture<String> a = held.send("p1", merged, "a");
        CompletableFuture<String> refused = held.send("p2", merged, "refuse");
        held.release();

        String answer = a.get(10, TimeUnit.SECONDS);
        long txid = Long.parseLong(answer.substring(2));
        assertEquals("c " + txid, c.get(10, TimeUnit.SECONDS), "one statement answered both");
        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failure.getCause(), "a write's own answer is its alone");
        assertEquals(List.of(List.of("a", "refuse", "c")), merged.calls, "one call, in the order of the keys");
        assertEquals(3.0, held.registry.get("subscriptions.writes.merged").counter().count());
        assertEquals("committed", status(txid), "and the group committed for the others");
    }

    @Test
    void aMergedStatementIsTheFirstAndOnlyCommandOfItsTransaction() throws Exception {
        Held held = new Held(256);
        // the two timestamps are equal only in the first command of a transaction: no BEGIN went before it
        Merged merged = new Merged("SELECT CASE WHEN statement_timestamp() = transaction_timestamp() THEN txid_current() "
                + "ELSE -1 END");
        CompletableFuture<String> a = held.send("p1", merged, "a");
        CompletableFuture<String> b = held.send("p2", merged, "b");
        held.release();

        String answer = a.get(10, TimeUnit.SECONDS);
        long txid = Long.parseLong(answer.substring(2));
        assertNotEquals(-1L, txid, "the statement began its transaction");
        assertEquals("b " + txid, b.get(10, TimeUnit.SECONDS));
        assertEquals("committed", status(txid), "and PostgreSQL committed it before it answered");
    }

    @Test
    void aGroupWithOtherWritesRunsEachWriteByItself() throws Exception {
        Held held = new Held(256);
        Merged merged = new Merged("SELECT txid_current()");
        CompletableFuture<String> a = held.send("p1", merged, "a");
        CompletableFuture<Long> other = held.send("p2", GroupCommitTest::txid);
        CompletableFuture<String> c = held.send("p3", merged, "c");
        held.release();

        long txid = other.get(10, TimeUnit.SECONDS);
        assertEquals("alone a " + txid, a.get(10, TimeUnit.SECONDS), "each its own statements, in the one group");
        assertEquals("alone c " + txid, c.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), merged.calls, "so that its rows are locked in the order of their keys");
        assertEquals(0.0, held.registry.get("subscriptions.writes.merged").counter().count());
    }

    @Test
    void aMergedStatementTheDatabaseRefusesRunsEachWriteAgainAlone() throws Exception {
        Held held = new Held(256);
        Merged merged = new Merged("SELECT 1 / 0");
        CompletableFuture<String> a = held.send("p1", merged, "a");
        CompletableFuture<String> b = held.send("p2", merged, "b");
        held.release();

        String aloneA = a.get(10, TimeUnit.SECONDS);
        String aloneB = b.get(10, TimeUnit.SECONDS);
        assertEquals(1, merged.calls.size());
        assertEquals("alone a", aloneA.substring(0, 7));
        assertEquals("alone b", aloneB.substring(0, 7));
        assertNotEquals(aloneA.substring(8), aloneB.substring(8), "each in a transaction of its own");
        assertEquals(0.0, held.registry.get("subscriptions.writes.merged").counter().count(), "none ran merged");
    }

    /**
     * Merged writes whose statement waits for advisory lock {@link #LOCK} and answers each input with
     * its transaction id and connection ({@code backend pid}); "later" is left undecided (null), and a
     * group with "fail" in it is refused by the database.
     */
    private static final class Locking implements GroupCommit.Merged<String, String> {

        static final long LOCK = 4242;
        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        @Override
        public Uni<List<String>> runAll(SqlClient client, List<String> inputs) {
            calls.add(inputs);
            return client.preparedQuery("SELECT txid_current(), pg_backend_pid() FROM (SELECT pg_advisory_xact_lock($1)) l "
                    + "WHERE 1 / $2 = 1").execute(Tuple.of(LOCK, inputs.contains("fail") ? 0 : 1)).map(rows -> {
                        Row row = rows.iterator().next();
                        return inputs.stream().map(input -> input.equals("later") ? null
                                : input + " " + row.getLong(0) + " " + row.getInteger(1)).toList();
                    });
        }
    }

    /**
     * A first group of two {@link Locking} writes (keys p1 and p2) out on a lane and waiting for
     * {@link Locking#LOCK}, which the test's own connection holds until {@link #close}; a second
     * group goes out behind it once two writes wait.
     */
    private final class FirstGroupHeld implements AutoCloseable {

        final Held held = new Held(256, 2);
        final Locking locking = new Locking();
        final Connection lock = Database.connect();
        final List<CompletableFuture<String>> first;
        /** The lane's backend. */
        final int pid;

        FirstGroupHeld(String a, String b) throws Exception {
            try (var statement = lock.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + Locking.LOCK + ")");
            }
            first = List.of(send("p1", a), send("p2", b));
            held.release();
            String waiting = "FROM pg_locks WHERE locktype = 'advisory' AND objid = ? AND NOT granted";
            await().atMost(Duration.ofSeconds(10)).until(() -> Database.count("SELECT count(*) " + waiting, Locking.LOCK) == 1);
            pid = ((Number) Database.query("SELECT pid " + waiting, Locking.LOCK).get(0).get("pid")).intValue();
        }

        CompletableFuture<String> send(String key, String input) {
            return held.send(key, locking, input);
        }

        double count(String counter) {
            return held.registry.get(counter).counter().count();
        }

        @Override
        public void close() throws Exception {
            lock.close();
        }
    }

    /** Transaction id and backend pid of a Locking answer "input txid pid". */
    private static long txidOf(String answer) {
        return Long.parseLong(answer.split(" ")[1]);
    }

    private static String pidOf(String answer) {
        return answer.split(" ")[2];
    }

    @Test
    void whileManyWriteWaitASecondGroupGoesOutOnTheConnectionWhoseFirstIsStillOut() throws Exception {
        FirstGroupHeld out = new FirstGroupHeld("a", "b");
        List<CompletableFuture<String>> second;
        try (out) {
            CompletableFuture<String> c = out.send("p3", "c");
            assertEquals(0.0, out.count("subscriptions.writes.pipelined"), "one write waiting: it waits for the connection");
            second = List.of(c, out.send("p4", "d"));
            assertEquals(1.0, out.count("subscriptions.writes.pipelined"),
                    "two waiting: they went out while the first group still waits for the lock");
            assertEquals(0.0, out.held.registry.get("subscriptions.writes.waiting").gauge().value());
        }

        String a = out.first.get(0).get(10, TimeUnit.SECONDS);
        String c = second.get(0).get(10, TimeUnit.SECONDS);
        assertEquals("b " + txidOf(a) + " " + pidOf(a), out.first.get(1).get(10, TimeUnit.SECONDS), "a and b: one statement");
        assertEquals("d " + txidOf(c) + " " + pidOf(c), second.get(1).get(10, TimeUnit.SECONDS), "c and d: one statement");
        assertNotEquals(txidOf(a), txidOf(c), "each group its own transaction");
        assertEquals(pidOf(a), pidOf(c), "on one connection");
        assertEquals("committed", status(txidOf(a)));
        assertEquals("committed", status(txidOf(c)));
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), out.locking.calls);
        assertEquals(4.0, out.count("subscriptions.writes.merged"));
    }

    @Test
    void aRefusedStatementBehindACommittedGroupRunsOnlyItsOwnWritesAgainAlone() throws Exception {
        FirstGroupHeld out = new FirstGroupHeld("a", "b");
        List<CompletableFuture<String>> refused;
        try (out) {
            refused = List.of(out.send("p3", "fail"), out.send("p4", "d"));
            assertEquals(1.0, out.count("subscriptions.writes.pipelined"));
        }

        String a = out.first.get(0).get(10, TimeUnit.SECONDS);
        assertEquals("b " + txidOf(a) + " " + pidOf(a), out.first.get(1).get(10, TimeUnit.SECONDS));
        assertEquals("committed", status(txidOf(a)), "the group before the refused statement committed");
        String fail = refused.get(0).get(10, TimeUnit.SECONDS);
        String d = refused.get(1).get(10, TimeUnit.SECONDS);
        assertEquals("alone fail", fail.substring(0, 10), "the refused group's writes ran again alone");
        assertEquals("alone d", d.substring(0, 7));
        assertNotEquals(fail.substring(11), d.substring(8), "each in a transaction of its own");
        assertEquals("committed", status(Long.parseLong(d.substring(8))));
        assertEquals(2.0, out.count("subscriptions.writes.merged"), "a and b");
    }

    @Test
    void aWriteTheStatementLeavesUndecidedRunsAloneAfterItsGroupHasCommitted() throws Exception {
        FirstGroupHeld out = new FirstGroupHeld("a", "later");
        List<CompletableFuture<String>> second;
        try (out) {
            second = List.of(out.send("p3", "c"), out.send("p4", "d"));
        }

        String a = out.first.get(0).get(10, TimeUnit.SECONDS);
        String c = second.get(0).get(10, TimeUnit.SECONDS);
        String later = out.first.get(1).get(10, TimeUnit.SECONDS);
        assertEquals("alone later", later.substring(0, 11), "run by itself");
        long laterTxid = Long.parseLong(later.substring(12));
        assertNotEquals(txidOf(a), laterTxid, "not in its group's transaction");
        assertNotEquals(txidOf(c), laterTxid, "nor in the group sent behind it on the same connection");
        assertEquals("committed", status(laterTxid));
        assertEquals(List.of(List.of("a", "later"), List.of("c", "d")), out.locking.calls);
        assertEquals(3.0, out.count("subscriptions.writes.merged"), "a, c and d");
    }

    @Test
    void whenTheConnectionDiesWithTwoGroupsOutTheirOutcomeIsUnknownAndTheWritesWaitingTakeAnother() throws Exception {
        FirstGroupHeld out = new FirstGroupHeld("a", "b");
        List<CompletableFuture<String>> waiting;
        try (out) {
            List<CompletableFuture<String>> sent = List.of(out.first.get(0), out.first.get(1), out.send("p3", "c"),
                    out.send("p4", "d"));
            assertEquals(1.0, out.count("subscriptions.writes.pipelined"));
            // two groups are out on the lane, so these wait; once the first group has failed, one group is out
            // on a dead connection, and they must not go out behind it
            waiting = List.of(out.send("p5", "e"), out.send("p6", "f"));
            assertEquals(2.0, out.held.registry.get("subscriptions.writes.waiting").gauge().value());
            Database.query("SELECT pg_terminate_backend(?)", out.pid);

            // both groups' messages were sent and lost with the connection: as far as the service can tell, they may have run
            for (CompletableFuture<String> write : sent) {
                ExecutionException failure = assertThrows(ExecutionException.class, () -> write.get(10, TimeUnit.SECONDS));
                assertInstanceOf(ClosedConnectionException.class, failure.getCause());
            }
        }
        assertEquals(1.0, out.count("subscriptions.writes.pipelined"), "no group went out behind the lost ones");

        // together on another connection, once the dead one has gone
        String e = waiting.get(0).get(10, TimeUnit.SECONDS);
        assertEquals("f " + txidOf(e) + " " + pidOf(e), waiting.get(1).get(10, TimeUnit.SECONDS), "e and f: one statement");
        assertNotEquals(String.valueOf(out.pid), pidOf(e));
        assertEquals("committed", status(txidOf(e)));
        assertEquals(2.0, out.count("subscriptions.writes.merged"), "e and f");
    }

    @Test
    void writesAreAnsweredOnTheContextTheyCameFrom() throws Exception {
        Held held = new Held(256);
        // as each HTTP request runs on a context of its own
        List<Context> contexts = List.of(VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()),
                VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()));
        List<CompletableFuture<Context>> answeredOn = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            CompletableFuture<Context> on = new CompletableFuture<>();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            String key = "k" + i;
            contexts.get(i).runOnContext(v -> {
                held.groups.run(key, GroupCommitTest::txid).subscribe()
                        .with(txid -> on.complete(Vertx.currentContext()), on::completeExceptionally);
                sent.complete(null);
            });
            sent.get(10, TimeUnit.SECONDS);
            answeredOn.add(on);
        }
        // both wait behind the holder, then run in one group on the group's connection
        held.release();
        for (int i = 0; i < contexts.size(); i++) {
            assertSame(contexts.get(i), answeredOn.get(i).get(10, TimeUnit.SECONDS));
        }
    }
}
