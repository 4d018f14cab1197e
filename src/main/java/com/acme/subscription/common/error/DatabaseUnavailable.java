package com.acme.subscription.common.error;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;

/** Recognises failures that mean "PostgreSQL cannot be reached", which the API answers with 503. */
public final class DatabaseUnavailable {

    /** Asks the database whether it answers at all: the cheapest statement there is. */
    public static final String PROBE = "SELECT 1";

    private DatabaseUnavailable() {
    }

    /** Fired when a request found the database unreachable (what depends on notifications must not trust them). */
    public record Noticed() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // ConnectException, "Connection reset by peer", closed channels: all IOExceptions
            if (t instanceof IOException || t instanceof ClosedConnectionException || t instanceof TimeoutException) {
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
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
