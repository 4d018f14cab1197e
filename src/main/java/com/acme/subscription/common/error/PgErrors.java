package com.acme.subscription.common.error;

import java.util.Optional;

import io.vertx.pgclient.PgException;

/** Reads PostgreSQL's answer out of a failure, wherever the reactive stack wrapped it. */
public final class PgErrors {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String CHECK_VIOLATION = "23514";
    /** A delete refused by an ON DELETE RESTRICT foreign key. */
    public static final String RESTRICT_VIOLATION = "23001";

    private PgErrors() {
    }

    public static Optional<PgException> find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return Optional.of(pg);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** True when PostgreSQL refused the statement with this SQLSTATE (and, if given, this constraint). */
    public static boolean is(Throwable failure, String sqlState, String constraint) {
        return find(failure)
                .filter(pg -> sqlState.equals(pg.getSqlState()))
                .filter(pg -> constraint == null || constraint.equals(pg.getConstraint()))
                .isPresent();
    }

    public static boolean is(Throwable failure, String sqlState) {
        return is(failure, sqlState, null);
    }

    /** True when a delete was refused because other rows still reference the row. */
    public static boolean isStillReferenced(Throwable failure) {
        return is(failure, RESTRICT_VIOLATION) || is(failure, FOREIGN_KEY_VIOLATION);
    }
}
