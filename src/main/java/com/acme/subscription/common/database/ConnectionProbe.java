package com.acme.subscription.common.database;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;

/**
 * Keeps asking one of a replica's own connections ({@link OwnConnections}) to answer a {@code SELECT 1},
 * one question at a time.
 * <ul>
 * <li>An own connection that reads nothing for a while is closed ({@link OwnConnections#options}),
 * and its owner opens a new one. The questions are what it reads when nothing else happens, so
 * only a database that stopped answering leaves it silent: one that vanished without a reset (a
 * failover to another host, a NAT that forgot an idle connection), otherwise noticed only when
 * TCP gives up, many minutes later, while its notifications are lost and its statements hang.</li>
 * <li>PostgreSQL sends a listening connection the notifications committed before a statement
 * ahead of that statement's answer (its commit signals the listeners, and a backend delivers
 * what it was signalled before it reports ready: how PostgreSQL works, not what its protocol
 * promises), and Vert.x hands a connection's notifications and answers on in the order they came.
 * So an answer to a question asked at {@code t} proves that every notification committed before
 * {@code t} has been handled ({@link #answeredWithin}).</li>
 * </ul>
 * Wall time, not the service's clock: this measures the network, and Vert.x timers run on it.
 */
public final class ConnectionProbe {

    private static final Logger LOG = Logger.getLogger(ConnectionProbe.class);

    /** A question asked on a connection at a {@link System#nanoTime()}. */
    private record Question(PgConnection on, long askedAt) {
    }

    private final Vertx vertx;
    private final String role;
    private final Supplier<PgConnection> connection;
    private final long timer;
    private volatile Question pending;
    private volatile Question answered;
    private volatile boolean stopped;

    private ConnectionProbe(Vertx vertx, String role, Supplier<PgConnection> connection, Duration every) {
        this.vertx = vertx;
        this.role = role;
        this.connection = connection;
        this.timer = vertx.setPeriodic(Math.max(1, every.toMillis()), id -> ask());
    }

    /**
     * Starts asking every {@code every} whatever connection {@code connection} names at the time
     * (none: nothing is asked).
     */
    public static ConnectionProbe start(Vertx vertx, String role, Supplier<PgConnection> connection, Duration every) {
        return new ConnectionProbe(vertx, role, connection, every);
    }

    /**
     * True when {@code on} answered a question asked less than {@code within} ago: every notification
     * committed before then has reached this replica.
     */
    public boolean answeredWithin(PgConnection on, Duration within) {
        Question last = answered;
        return last != null && last.on() == on && System.nanoTime() - last.askedAt() <= within.toNanos();
    }

    public void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void ask() {
        PgConnection current = connection.get();
        Question waiting = pending;
        if (current == null || waiting != null && waiting.on() == current) {
            return; // nothing to ask, or still waiting for the answer
        }
        Question question = new Question(current, System.nanoTime());
        pending = question;
        current.query("SELECT 1").execute().onComplete(result -> {
            if (pending == question) {
                pending = null;
            }
            if (result.succeeded()) {
                answered = question;
            } else if (!stopped) { // not the owner closing it
                LOG.warnf("The %s connection did not answer (%s); a new one is opened", role,
                        result.cause().getMessage());
            }
        });
    }
}
