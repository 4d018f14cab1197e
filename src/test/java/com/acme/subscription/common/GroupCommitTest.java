package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.acme.subscription.common.database.GroupCommit;
import com.acme.subscription.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

/**
 * GroupCommit on the service's database: writes that wait while the connection is busy share one
 * transaction, answered once it has committed; a database error in one of them runs each of them
 * again alone; a write's own answer does not stop the others from committing.
 */
@QuarkusTest
class GroupCommitTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    /** One connection, so that the writes behind a running one wait for it and then form one group. */
    private GroupCommit groups(int maxWaiting) {
        return new GroupCommit(pool, 1, 64, maxWaiting, IllegalStateException.class::isInstance);
    }

    private static Uni<Long> txid(SqlClient client) {
        return client.query("SELECT txid_current()").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private static String status(long txid) {
        return (String) Database.query("SELECT txid_status(?)", txid).get(0).get("txid_status");
    }

    /** Holds the group's one connection until {@code gate} completes. */
    private static CompletableFuture<Long> holding(GroupCommit groups, CompletableFuture<Void> gate) {
        return groups.run("holder", client -> txid(client)
                .call(() -> Uni.createFrom().completionStage(gate))).subscribeAsCompletionStage();
    }

    @Test
    void writesThatWaitShareOneTransactionCommittedBeforeTheyAreAnswered() throws Exception {
        GroupCommit groups = groups(256);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Long> holder = holding(groups, gate);
        List<CompletableFuture<Long>> waiting = new ArrayList<>();
        for (String key : List.of("p3", "p1", "p2", "p1")) {
            waiting.add(groups.run(key, GroupCommitTest::txid).subscribeAsCompletionStage());
        }
        gate.complete(null);

        long first = waiting.get(0).get(10, TimeUnit.SECONDS);
        assertNotEquals(holder.get(10, TimeUnit.SECONDS), first, "the write that held the connection ran alone");
        assertEquals(first, waiting.get(1).get(10, TimeUnit.SECONDS), "p1 in p3's group");
        assertEquals(first, waiting.get(2).get(10, TimeUnit.SECONDS), "p2 in p3's group");
        long secondP1 = waiting.get(3).get(10, TimeUnit.SECONDS);
        assertNotEquals(first, secondP1, "a second write of p1 waits for the next group");
        assertEquals("committed", status(first), "the group had committed when its writes were answered");
        assertEquals("committed", status(secondP1));
    }

    @Test
    void aWriteTheDatabaseRefusesRunsEveryWriteOfItsGroupAgainAlone() throws Exception {
        GroupCommit groups = groups(256);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Long> holder = holding(groups, gate);
        AtomicLong groupTxid = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Long> good = groups.run("a", client -> {
            runs.incrementAndGet();
            return txid(client).invoke(txid -> groupTxid.compareAndSet(0, txid));
        }).subscribeAsCompletionStage();
        CompletableFuture<Long> refused = groups.run("b", client -> client.query("SELECT 1 / 0").execute()
                .map(rows -> 0L)).subscribeAsCompletionStage();
        CompletableFuture<Long> other = groups.run("c", GroupCommitTest::txid).subscribeAsCompletionStage();
        gate.complete(null);
        holder.get(10, TimeUnit.SECONDS);

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
    void aWritesOwnAnswerLeavesItsGroupToCommit() throws Exception {
        GroupCommit groups = groups(256);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Long> holder = holding(groups, gate);
        AtomicLong answeredIn = new AtomicLong();
        CompletableFuture<Long> answered = groups.run("a", client -> txid(client).<Long> map(txid -> {
            answeredIn.set(txid);
            throw new IllegalStateException("refused");
        })).subscribeAsCompletionStage();
        CompletableFuture<Long> other = groups.run("b", GroupCommitTest::txid).subscribeAsCompletionStage();
        gate.complete(null);
        holder.get(10, TimeUnit.SECONDS);

        ExecutionException failure = assertThrows(ExecutionException.class, () -> answered.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        long otherTxid = other.get(10, TimeUnit.SECONDS);
        assertEquals(answeredIn.get(), otherTxid, "both in one group");
        assertEquals("committed", status(otherTxid));
    }

    @Test
    void writesBeyondTheWaitingBoundAreRefusedAtOnce() throws Exception {
        GroupCommit groups = groups(2);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Long> holder = holding(groups, gate);
        CompletableFuture<Long> first = groups.run("a", GroupCommitTest::txid).subscribeAsCompletionStage();
        CompletableFuture<Long> second = groups.run("b", GroupCommitTest::txid).subscribeAsCompletionStage();
        CompletableFuture<Long> third = groups.run("c", GroupCommitTest::txid).subscribeAsCompletionStage();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionPoolTooBusyException.class, failure.getCause());
        gate.complete(null);
        holder.get(10, TimeUnit.SECONDS);
        assertEquals(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS), "the two that waited, together");
    }

    @Test
    void writesAreAnsweredOnTheContextTheyCameFrom() throws Exception {
        GroupCommit groups = groups(256);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Long> holder = holding(groups, gate);
        // as each HTTP request runs on a context of its own
        List<Context> contexts = List.of(VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()),
                VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()));
        List<CompletableFuture<Context>> answeredOn = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            CompletableFuture<Context> on = new CompletableFuture<>();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            String key = "k" + i;
            contexts.get(i).runOnContext(v -> {
                groups.run(key, GroupCommitTest::txid)
                        .subscribe().with(txid -> on.complete(Vertx.currentContext()), on::completeExceptionally);
                sent.complete(null);
            });
            sent.get(10, TimeUnit.SECONDS);
            answeredOn.add(on);
        }
        // both wait behind the holder, then run in one group on the group's connection
        gate.complete(null);
        holder.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < contexts.size(); i++) {
            assertSame(contexts.get(i), answeredOn.get(i).get(10, TimeUnit.SECONDS));
        }
    }
}
