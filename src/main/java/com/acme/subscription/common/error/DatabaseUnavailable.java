package com.acme.subscription.common.error;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** Recognises failures that mean "PostgreSQL cannot be reached", which the API answers with 503. */
public final class DatabaseUnavailable {

    /** Asks the database whether it answers at all: the cheapest statement there is. */
    public static final String PROBE = "SELECT 1";

    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseUnavailable() {
    }

    /** Fired when a request found the database unreachable (what depends on notifications must not trust them). */
    public record Noticed() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // ConnectException, "Connection reset by peer", closed channels: all IOExceptions;
            // too many statements already waiting for a connection (PgPoolConfiguration)
            if (t instanceof IOException || t instanceof ClosedConnectionException || t instanceof TimeoutException
                    || t instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            // the pool's wait timed out ("Timeout"), or the connection closed under a statement
            // ("Connection is not active now, current status: CLOSED")
            if (t instanceof io.vertx.core.impl.NoStackTraceThrowable && t.getMessage() != null
                    && ("Timeout".equals(t.getMessage()) || t.getMessage().contains("onnection"))) {
                return true;
            }
            // the pool reports "connection not available" / closed sockets as plain VertxExceptions
            if (t instanceof VertxException && t.getMessage() != null
                    && (t.getMessage().contains("onnection") || t.getMessage().contains("closed"))) {
                return true;
            }
            // PostgreSQL itself refusing service: connection failures (class 08), shut down or
            // crashed while connected (57P01, 57P02), starting up or in recovery (57P03), no free
            // connection slot (53300). Recognised by code: by the time a probe runs, it may be back.
            if (t instanceof PgException pg && pg.getSqlState() != null && (pg.getSqlState().startsWith("08")
                    || UNAVAILABLE_STATES.contains(pg.getSqlState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
